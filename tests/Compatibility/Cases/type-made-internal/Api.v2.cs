namespace CaseApi;

internal class Audit { public void Log(string s) { } }
public static class Placeholder { }
