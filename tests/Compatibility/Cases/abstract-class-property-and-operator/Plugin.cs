// the plugin overrides an abstract property and uses an operator; the API gains a method
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        Rule a = new High(); _ = a > a;
        return "ok";
    }
}

public sealed class High : Rule { public override int Priority => 9; }
