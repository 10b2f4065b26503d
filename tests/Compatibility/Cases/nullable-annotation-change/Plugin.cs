// only nullable annotations change (attributes, not signatures)
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        Api.Name("x");
        return "ok";
    }
}
