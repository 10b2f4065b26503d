// a method gains an optional parameter (source compatible, not binary)
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        Api.Scale(3);
        return "ok";
    }
}
