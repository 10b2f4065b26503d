// a struct the plugin uses by value gains a field (layout changes; the runtime lays out at load time)
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        Geometry.Sum(new Point { X = 1, Y = 2 });
        return "ok";
    }
}
