// a property of an interface the plugin implements changes type (int Priority to long)
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        IRule r = new Rule(); _ = r.Priority;
        return "ok";
    }
}

public sealed class Rule : IRule { public int Priority => 1; }
