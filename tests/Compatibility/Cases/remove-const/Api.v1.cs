namespace CaseApi;

public static class Limits { public const int Max = 10; public static int Clamp(int x) => x; }
