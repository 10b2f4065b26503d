namespace CaseApi;

public interface IHandler { void Handle(string item); }
public class Other { }
