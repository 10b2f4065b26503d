// a generic type gains a type parameter (Box<T> becomes Box<T, TMeta>)
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        var b = new Box<int> { Value = 1 }; _ = b.Value;
        return "ok";
    }
}
