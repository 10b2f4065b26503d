namespace CaseApi;

public class Widget { public virtual string Render() => "w"; }
