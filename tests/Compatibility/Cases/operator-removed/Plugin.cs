// an operator the plugin uses is removed
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        _ = new Money() + new Money();
        return "ok";
    }
}
