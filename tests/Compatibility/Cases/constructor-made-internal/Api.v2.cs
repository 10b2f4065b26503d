namespace CaseApi;

public class Audit { internal Audit() { } public void Log(string s) { } }
