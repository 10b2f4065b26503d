namespace CaseApi;

public interface IRule { long Priority { get; } }
