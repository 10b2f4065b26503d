// a method's return type changes from int to long
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        Api.Count();
        return "ok";
    }
}
