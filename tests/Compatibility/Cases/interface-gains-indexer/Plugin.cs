// an implemented interface gains an indexer
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        IStore s = new Store(); _ = s.Count;
        return "ok";
    }
}

public sealed class Store : IStore { public int Count => 0; }
