namespace CaseApi;

public sealed class Widget { public string Render() => "w"; }
