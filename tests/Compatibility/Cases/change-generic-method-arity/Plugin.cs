// a generic method gains a type parameter
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        Factory.Make<object>();
        return "ok";
    }
}
