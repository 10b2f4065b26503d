// the plugin explicitly implements a nested host interface (Hooks.IOnSale.OnSale)
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        Hooks.IOnSale h = new Shop(); h.OnSale(1m);
        return "ok";
    }
}

public sealed class Shop : Hooks.IOnSale { void Hooks.IOnSale.OnSale(decimal amount) { } }
