namespace CaseApi.Logging;

public class Audit { public void Log(string s) { } }
