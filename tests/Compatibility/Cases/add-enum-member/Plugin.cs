// an enum gains a member
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        Paint.Name(Color.Green);
        return "ok";
    }
}
