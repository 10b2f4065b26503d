// a method moves from the class the plugin calls it on to that class's base class
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        new Circle().Area();
        return "ok";
    }
}
