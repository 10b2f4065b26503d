// a generic API class used with a host type argument gains a member
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        new Repository<Money>().Count(new Money());
        return "ok";
    }
}
