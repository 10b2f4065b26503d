using Plugboard.Compatibility;
using Plugboard.Discovery;

namespace Plugboard.Tools;

/// <summary>
/// A host API described by its files, for the CLI's <c>list</c>, <c>inspect</c>, <c>verify</c> and <c>api-check</c>,
/// which check plugins without running the host. Discovery and the compatibility check are the same as
/// <see cref="PluginHost{TContract}"/>'s; nothing is loaded. Internal (visible to Plugboard.Cli): it exists for the
/// project's own tool, and CI pipelines run that tool rather than a second public way to do the same.
/// </summary>
internal sealed class HostApiFiles
{
    private readonly PluginInspector _inspector;
    private readonly HostApi _hostApi;

    /// <summary>Describes the host API.</summary>
    /// <param name="apiAssemblyPaths">The host's public API assemblies. Their non-framework dependencies found beside them are treated as shared.</param>
    /// <param name="contractTypeName">The full name of the contract entry types implement, or null to accept any interface of the host API.</param>
    /// <param name="sharedAssemblyPaths">Further assemblies the host shares with plugins.</param>
    /// <param name="trust">The trust policy to check as well (lock file, allowed folders, strict permissions), or null.</param>
    /// <exception cref="ArgumentException">No API assembly defines <paramref name="contractTypeName"/>.</exception>
    /// <exception cref="BadImageFormatException">An API assembly is not a readable .NET assembly.</exception>
    public HostApiFiles(IEnumerable<string> apiAssemblyPaths, string? contractTypeName = null, IEnumerable<string>? sharedAssemblyPaths = null, Trust.PluginTrustPolicy? trust = null)
    {
        ArgumentNullException.ThrowIfNull(apiAssemblyPaths);
        // A default host's private framework assemblies, so the references the CLI reports resolve as in that host.
        _hostApi = HostApi.FromFiles(apiAssemblyPaths, contractTypeName, sharedAssemblyPaths ?? [], new PluginHostOptions().PrivateFrameworkAssemblies);
        _inspector = new PluginInspector(_hostApi, trust);
    }

    /// <summary>
    /// Check for a host whose entries a <see cref="PluginEntryFactory"/> creates (such as Plugboard.Hosting's
    /// dependency injection): any public constructor is accepted, not only one taking nothing or an <see cref="IPluginContext"/>.
    /// </summary>
    public bool AcceptAnyPublicConstructor
    {
        get => _hostApi.AnyPublicConstructor;
        set => _hostApi.AnyPublicConstructor = value;
    }

    /// <summary>The host API version rule for plugins built against a newer minor (as <see cref="PluginHostOptions.ApiVersionRule"/>).</summary>
    public ApiVersionRule ApiVersionRule
    {
        get => _hostApi.VersionRule;
        set => _hostApi.VersionRule = value;
    }

    /// <summary>
    /// The shared frameworks the host runs (default: the ones this process runs, Microsoft.NETCore.App for a console
    /// tool). Name e.g. <c>Microsoft.AspNetCore.App</c> to check plugins for a web host; a plugin whose runtimeconfig
    /// needs a framework not listed is refused with PB0207.
    /// </summary>
    public IReadOnlyCollection<string> SharedFrameworks
    {
        get => _hostApi.Frameworks;
        set => _hostApi.Frameworks = new HashSet<string>(value ?? throw new ArgumentNullException(nameof(value)), StringComparer.OrdinalIgnoreCase) { "Microsoft.NETCore.App" };
    }

    /// <summary>Scans a folder of plugin folders, as <see cref="PluginHost{TContract}.Discover"/> does.</summary>
    /// <param name="pluginsDirectory">The folder to scan.</param>
    /// <returns>The catalog.</returns>
    /// <exception cref="PluginException">The folder does not exist.</exception>
    public PluginCatalog Discover(string pluginsDirectory) => _inspector.Scan(pluginsDirectory);

    /// <summary>Inspects one plugin folder.</summary>
    /// <param name="pluginDirectory">The plugin's folder.</param>
    /// <returns>The catalog entry.</returns>
    public PluginCatalogEntry Inspect(string pluginDirectory) => _inspector.Inspect(pluginDirectory);
}
