// an implemented interface gains Reset(); the plugin type has an unrelated Reset(int)
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

public sealed class Handler : IHandler { public void Handle(string item) { } public void Reset(int level) { } }
