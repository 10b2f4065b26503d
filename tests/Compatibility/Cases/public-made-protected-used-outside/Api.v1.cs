namespace CaseApi;

public class Widget { public string Render() => "w"; }
