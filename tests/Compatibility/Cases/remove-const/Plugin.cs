// a const the plugin uses is removed (consts are inlined at compile time: invisible to the runtime and to any check)
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        Limits.Clamp(Limits.Max);
        return "ok";
    }
}
