// a method's parameter type changes from int to long
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        Api.Use(1);
        return "ok";
    }
}
