// a new type is added to the API
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        new Calculator().Add(1, 2);
        return "ok";
    }
}
