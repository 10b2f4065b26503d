// a class gains an overload of a method the plugin calls
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
