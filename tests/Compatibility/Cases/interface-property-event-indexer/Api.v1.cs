namespace CaseApi;

public interface IStore { int Count { get; } event System.EventHandler? Changed; string this[int index] { get; } }
