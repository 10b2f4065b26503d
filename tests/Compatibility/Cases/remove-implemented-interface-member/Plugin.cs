// an interface member the plugin implements is removed; the plugin calls only the others
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

public sealed class Handler : IHandler { public void Handle(string item) { } public void Flush() { } }
