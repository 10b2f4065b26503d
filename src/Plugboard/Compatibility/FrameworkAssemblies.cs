namespace Plugboard.Compatibility;

/// <summary>
/// The assemblies of the shared framework the host runs on (the runtime's trusted platform list).
/// A plugin's reference to one of these resolves to the host's framework and needs no private copy.
/// </summary>
internal static class FrameworkAssemblies
{
    private static readonly Lazy<(HashSet<string> Assemblies, HashSet<string> Frameworks)> Names = new(ReadNames);

    public static bool Contains(string assemblyName) => Names.Value.Assemblies.Contains(assemblyName);

    /// <summary>The shared frameworks on the trusted platform list (Microsoft.NETCore.App, and e.g. Microsoft.AspNetCore.App for a web host).</summary>
    public static IReadOnlySet<string> Frameworks => Names.Value.Frameworks;

    private static (HashSet<string>, HashSet<string>) ReadNames()
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var frameworks = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Microsoft.NETCore.App" };
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string list)
        {
            string frameworkRoot = Path.GetDirectoryName(typeof(object).Assembly.Location) ?? string.Empty;
            string sharedRoot = Path.GetDirectoryName(Path.GetDirectoryName(frameworkRoot)) ?? frameworkRoot;
            foreach (string path in list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                // Only the shared frameworks count: the host's own app-local assemblies are also on this list,
                // and a plugin must not silently borrow those.
                if (sharedRoot.Length > 0 && path.StartsWith(sharedRoot, StringComparison.Ordinal))
                {
                    names.Add(Path.GetFileNameWithoutExtension(path));
                    // shared/<framework>/<version>/<file>.dll
                    string[] parts = path[sharedRoot.Length..].TrimStart(Path.DirectorySeparatorChar).Split(Path.DirectorySeparatorChar);
                    if (parts.Length >= 3)
                    {
                        frameworks.Add(parts[0]);
                    }
                }
            }
        }
        if (names.Count == 0)
        {
            // No TPA list (e.g. an unusual host): fall back to what is loaded from the core library's folder.
            names.Add("System.Private.CoreLib");
            names.Add("System.Runtime");
            names.Add("netstandard");
            names.Add("mscorlib");
        }
        return (names, frameworks);
    }
}
