namespace CaseApi;

public static class Api { public static int Twice(int x) => 2 * x; }
