namespace Plugboard;

/// <summary>How a plugin is built and loaded.</summary>
public enum PluginKind
{
    /// <summary>A .NET assembly loaded into its own collectible load context.</summary>
    Managed,
    /// <summary>A shared library (C, Rust, NativeAOT C#) loaded over Plugboard's C ABI.</summary>
    Native,
}
