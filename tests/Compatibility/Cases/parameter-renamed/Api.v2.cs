namespace CaseApi;

public static class Api { public static int Scale(int value) => value; }
