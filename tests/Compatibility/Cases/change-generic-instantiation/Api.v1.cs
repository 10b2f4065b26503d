namespace CaseApi;

public static class Api { public static System.Collections.Generic.List<int> Values() => []; }
