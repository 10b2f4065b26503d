// a type the plugin never uses is removed
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
