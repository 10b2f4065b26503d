namespace CaseApi;

public interface IStore { int Count { get; } }
