namespace CaseApi;

public class Calculator { public int Add(int a, int b) => a + b; }
public class Audit { public void Log(string s) { } }
