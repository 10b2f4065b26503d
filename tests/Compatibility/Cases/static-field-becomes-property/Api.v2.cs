namespace CaseApi;

public static class Defaults { public static int Retries { get; set; } = 3; }
