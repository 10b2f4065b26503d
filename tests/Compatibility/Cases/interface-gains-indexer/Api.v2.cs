namespace CaseApi;

public interface IStore { int Count { get; } string this[int index] { get; } }
