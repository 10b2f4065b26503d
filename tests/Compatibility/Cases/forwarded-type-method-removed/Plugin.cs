// a type moves with [TypeForwardedTo] and loses a method the plugin calls
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        _ = new Money().Negate();
        return "ok";
    }
}
