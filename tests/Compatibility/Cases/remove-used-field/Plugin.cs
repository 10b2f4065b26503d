// a field the plugin reads is removed
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        _ = new Money().Currency;
        return "ok";
    }
}
