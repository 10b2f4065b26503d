// an implemented interface gains an abstract overload of a method the plugin implements
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        IFormatter f = new Upper(); f.Format("x");
        return "ok";
    }
}

public sealed class Upper : IFormatter { public string Format(string value) => value.ToUpperInvariant(); }
