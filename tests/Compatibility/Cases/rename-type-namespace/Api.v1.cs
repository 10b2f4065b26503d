namespace CaseApi;

public class Audit { public void Log(string s) { } }
