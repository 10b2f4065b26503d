// the plugin implements an interface with a property, an event and an indexer; the API gains a type
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        IStore s = new Store(); _ = s.Count; _ = s[0]; s.Changed += (_, _) => { };
        return "ok";
    }
}

public sealed class Store : IStore { public int Count => 0; public event System.EventHandler? Changed { add { } remove { } } public string this[int index] => ""; }
