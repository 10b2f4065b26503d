namespace CaseApi;

public static class Api { public static int Count() => 1; }
