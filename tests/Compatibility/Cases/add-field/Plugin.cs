// a class gains a field
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        var m = new Money { Amount = 3 }; _ = m.Amount;
        return "ok";
    }
}
