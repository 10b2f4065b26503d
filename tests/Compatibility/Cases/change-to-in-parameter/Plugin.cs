// a by-value struct parameter becomes an in (by-ref) parameter
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        Geometry.Measure(new Point());
        return "ok";
    }
}
