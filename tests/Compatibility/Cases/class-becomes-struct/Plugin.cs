// a class the plugin uses in signatures becomes a struct
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        Geometry.Measure(default!);
        return "ok";
    }
}
