// a class gains a method; the plugin uses an old one
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        new Calculator().Add(1, 2);
        return "ok";
    }
}
