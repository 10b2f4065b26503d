using NuGet.Versioning;

namespace Plugboard.Metadata;

/// <summary>A plugin's declared need for another plugin.</summary>
/// <param name="Id">The other plugin's id.</param>
/// <param name="Versions">The versions accepted, with NuGet semantics ("1.2.0" means 1.2.0 or higher).</param>
public sealed record PluginDependency(string Id, VersionRange Versions)
{
    /// <inheritdoc />
    public override string ToString() => $"{Id} {Versions.PrettyPrint()}";
}
