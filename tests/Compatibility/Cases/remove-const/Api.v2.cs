namespace CaseApi;

public static class Limits { public static int Clamp(int x) => x; }
