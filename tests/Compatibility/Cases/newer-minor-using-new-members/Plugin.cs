// the plugin was built against API 1.2 and runs on 1.1; it uses a 1.2 member
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        Api.Twice(1);
        return "ok";
    }
}
