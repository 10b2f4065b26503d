namespace CaseApi;

public class Api { public static int Scale(int x) => x; }
