// a constructor the plugin calls gains a parameter
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        _ = new Audit();
        return "ok";
    }
}
