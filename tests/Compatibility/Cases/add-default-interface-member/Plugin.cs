// an interface the plugin implements gains a default (bodied) method
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        IHandler h = new Handler(); h.Handle("x");
        return "ok";
    }
}

public sealed class Handler : IHandler { public void Handle(string item) { } }
