// a type moves to another assembly with [TypeForwardedTo], unchanged
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        var m = new Money { Amount = 1 }; _ = m.Add(m).Amount;
        return "ok";
    }
}
