namespace CaseApi;

public class Bus { public event System.EventHandler? Changed; public void Raise() => Changed?.Invoke(this, System.EventArgs.Empty); }
