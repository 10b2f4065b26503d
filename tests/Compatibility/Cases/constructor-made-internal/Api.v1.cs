namespace CaseApi;

public class Audit { public Audit() { } public void Log(string s) { } }
