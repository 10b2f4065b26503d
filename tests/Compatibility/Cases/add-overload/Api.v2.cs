namespace CaseApi;

public static class Api { public static int Scale(int x) => x; public static long Scale(long x) => x; }
