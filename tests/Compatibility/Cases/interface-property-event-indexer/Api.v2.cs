namespace CaseApi;

public interface IStore { int Count { get; } event System.EventHandler? Changed; string this[int index] { get; } }
public class Other { }
