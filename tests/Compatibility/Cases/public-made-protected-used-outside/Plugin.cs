// a method becomes protected; the plugin calls it from outside the hierarchy
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        new Widget().Render();
        return "ok";
    }
}
