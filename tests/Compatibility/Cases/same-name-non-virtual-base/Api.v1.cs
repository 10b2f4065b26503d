namespace CaseApi;

public class HandlerBase { public void Reset() { } }
public interface IHandler { void Handle(string item); }
