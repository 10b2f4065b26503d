namespace Plugboard.Native;

/// <summary>What a native plugin declares about itself in its descriptor (<c>PB_FLAG_*</c>).</summary>
[Flags]
public enum NativePluginFlags : ulong
{
    /// <summary>Nothing declared: the host serializes invoke and never unloads the library.</summary>
    None = 0,
    /// <summary>Invoke may run on several threads at once.</summary>
    ThreadSafe = 1,
    /// <summary>The library may be closed after shutdown (the manifest must also say <c>"unloadable": true</c>).</summary>
    Unloadable = 2,
}
