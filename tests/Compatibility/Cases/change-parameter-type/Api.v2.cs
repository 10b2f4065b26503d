namespace CaseApi;

public static class Api { public static void Use(long x) { } }
