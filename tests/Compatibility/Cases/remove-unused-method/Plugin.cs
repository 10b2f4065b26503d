// a method the plugin never uses is removed
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        Api.Scale(3);
        return "ok";
    }
}
