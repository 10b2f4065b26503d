// an interface is implemented by the plugin's own base class; the API gains a type
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

public abstract class HandlerBase : IHandler { public abstract void Handle(string item); }
public sealed class Handler : HandlerBase { public override void Handle(string item) { } }
