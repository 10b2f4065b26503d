// a method becomes protected; the plugin calls it only from a derived class
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        new Fancy().Show();
        return "ok";
    }
}

public sealed class Fancy : Widget { public string Show() => Render(); }
