// an instance method becomes static
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        new Api().Scale(1);
        return "ok";
    }
}
