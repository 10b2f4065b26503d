namespace CaseApi;

public abstract class Processor { public abstract int Process(int x); public virtual void Reset() { } }
