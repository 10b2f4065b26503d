// an explicitly implemented generic interface gains an abstract member
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        IHandler<Money> h = new MoneyHandler(); h.Handle(new Money());
        return "ok";
    }
}

public sealed class MoneyHandler : IHandler<Money> { void IHandler<Money>.Handle(Money item) { } }
