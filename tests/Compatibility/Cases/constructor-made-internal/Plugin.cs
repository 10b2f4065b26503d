// a constructor the plugin calls is made internal
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        new Audit().Log("x");
        return "ok";
    }
}
