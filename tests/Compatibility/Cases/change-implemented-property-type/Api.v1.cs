namespace CaseApi;

public interface IRule { int Priority { get; } }
