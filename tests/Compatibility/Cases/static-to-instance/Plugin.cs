// a static method becomes an instance method
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
