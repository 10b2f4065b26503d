namespace CaseApi;

public static class Defaults { public static int Retries = 3; }
