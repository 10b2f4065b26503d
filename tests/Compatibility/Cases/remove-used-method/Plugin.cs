// a method the plugin calls is removed
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        Api.Twice(3);
        return "ok";
    }
}
