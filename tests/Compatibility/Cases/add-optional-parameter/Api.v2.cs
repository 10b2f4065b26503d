namespace CaseApi;

public static class Api { public static int Scale(int x, int factor = 1) => x * factor; }
