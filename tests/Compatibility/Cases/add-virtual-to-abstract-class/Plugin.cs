// an abstract base class the plugin derives from gains a virtual method
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        Processor p = new Doubler(); p.Process(2);
        return "ok";
    }
}

public sealed class Doubler : Processor { public override int Process(int x) => 2 * x; }
