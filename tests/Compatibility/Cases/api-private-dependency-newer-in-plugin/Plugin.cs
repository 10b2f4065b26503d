// the API uses CaseApi.Core 1.0 internally only; the plugin ships and uses its own CaseApi.Core 2.0
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        Api.Scale(1); CaseApi.Core.Internal.Engine.Id2(2);
        return "ok";
    }
}
