// a type moves to another assembly with [TypeForwardedTo] and one of its fields is renamed
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        var m = new Money { Amount = 1 }; _ = m.Amount;
        return "ok";
    }
}
