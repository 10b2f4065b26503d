namespace Plugboard;

/// <summary>An assembly a plugin references, as recorded in its metadata.</summary>
/// <param name="Name">The simple assembly name.</param>
/// <param name="Version">The version the plugin was compiled against.</param>
/// <param name="Resolution">Where it comes from at run time.</param>
public sealed record AssemblyReference(string Name, Version Version, AssemblyResolution Resolution)
{
    /// <inheritdoc />
    public override string ToString() => $"{Name} {Version} ({Resolution})";
}
