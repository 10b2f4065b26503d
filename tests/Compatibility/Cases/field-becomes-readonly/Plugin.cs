// a field the plugin writes becomes readonly (initonly is not enforced across assemblies at run time)
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        var s = new Settings(); s.Retries = 3;
        return "ok";
    }
}
