// a property setter the plugin uses becomes private
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        new Settings().Retries = 2;
        return "ok";
    }
}
