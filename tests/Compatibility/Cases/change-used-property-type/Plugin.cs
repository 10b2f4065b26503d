// a property the plugin reads changes type (int to long)
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        _ = new Settings().Priority;
        return "ok";
    }
}
