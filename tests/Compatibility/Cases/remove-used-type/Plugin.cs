// a type the plugin uses is removed
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
