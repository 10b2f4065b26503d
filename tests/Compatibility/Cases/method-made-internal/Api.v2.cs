namespace CaseApi;

public static class Api { internal static int Scale(int x) => x; public static int Other() => 0; }
