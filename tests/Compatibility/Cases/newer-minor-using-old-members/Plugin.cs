// the plugin was built against API 1.2 and runs on 1.1; it uses only members 1.1 has
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        Api.Scale(1);
        return "ok";
    }
}
