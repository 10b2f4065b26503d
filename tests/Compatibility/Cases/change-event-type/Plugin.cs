// an event the plugin subscribes to changes its delegate type
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        var b = new Bus(); b.Changed += (_, _) => { }; b.Raise();
        return "ok";
    }
}
