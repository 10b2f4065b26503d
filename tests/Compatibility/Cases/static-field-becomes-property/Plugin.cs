// a static field the plugin reads becomes a property
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        _ = Defaults.Retries;
        return "ok";
    }
}
