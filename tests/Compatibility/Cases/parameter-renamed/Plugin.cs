// a parameter is renamed
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
