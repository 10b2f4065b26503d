// an implemented interface gains Reset(); the plugin's base class (from the API) has a public Reset()
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

public sealed class Handler : HandlerBase, IHandler { public void Handle(string item) { } }
