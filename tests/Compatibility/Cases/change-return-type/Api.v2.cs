namespace CaseApi;

public static class Api { public static long Count() => 1; }
