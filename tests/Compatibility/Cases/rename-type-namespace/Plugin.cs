// a type the plugin uses moves to another namespace
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
