namespace CaseApi;

public class Audit { public Audit() { } }
