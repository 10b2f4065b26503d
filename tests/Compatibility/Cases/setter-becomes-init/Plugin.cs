// a settable property becomes init-only (the setter gains a modreq)
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
