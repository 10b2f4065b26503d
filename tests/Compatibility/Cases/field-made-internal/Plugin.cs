// a field the plugin reads is made internal
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        _ = new Money().Amount;
        return "ok";
    }
}
