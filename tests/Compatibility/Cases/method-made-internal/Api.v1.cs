namespace CaseApi;

public static class Api { public static int Scale(int x) => x; }
