// a return type changes from List<int> to List<long>
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        _ = Api.Values().Count;
        return "ok";
    }
}
