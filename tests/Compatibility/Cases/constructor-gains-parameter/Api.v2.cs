namespace CaseApi;

public class Audit { public Audit(string name) { } }
