// an enum member the plugin uses is removed (enum values are inlined constants)
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        Paint.Name(Color.Blue);
        return "ok";
    }
}
