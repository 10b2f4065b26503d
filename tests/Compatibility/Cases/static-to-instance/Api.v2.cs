namespace CaseApi;

public class Api { public int Scale(int x) => x; }
