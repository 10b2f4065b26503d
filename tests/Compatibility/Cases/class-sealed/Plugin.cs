// a class the plugin derives from is sealed
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        new Fancy().Render();
        return "ok";
    }
}

public sealed class Fancy : Widget { public override string Render() => "f"; }
