namespace CaseApi;

public class Widget { protected string Render() => "w"; }
