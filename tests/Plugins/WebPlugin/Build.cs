namespace WebPlugin;

/// <summary>Which of the two builds this is (WebPluginV2 compiles the same sources with V2 defined).</summary>
internal static class Build
{
#if V2
    public const string Version = "2";
#else
    public const string Version = "1";
#endif
}
