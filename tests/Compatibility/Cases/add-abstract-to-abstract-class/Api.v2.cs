namespace CaseApi;

public abstract class Processor { public abstract int Process(int x); public abstract void Reset(); }
