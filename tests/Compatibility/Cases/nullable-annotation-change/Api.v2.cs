namespace CaseApi;

public static class Api { public static string? Name(string? value) => value; }
