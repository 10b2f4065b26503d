// a static abstract interface member implemented by the plugin, unchanged
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        Parser.Parse<Point>("1");
        return "ok";
    }
}

public sealed class Point : IParsable<Point> { public static Point Parse(string s) => new(); }
