namespace CaseApi;

public static class Api { public static int Double(int x) => 2 * x; }
