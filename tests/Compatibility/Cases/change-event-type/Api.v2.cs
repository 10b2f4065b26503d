namespace CaseApi;

public class Bus { public event System.Action? Changed; public void Raise() => Changed?.Invoke(); }
