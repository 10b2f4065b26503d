namespace Plugboard.Compatibility;

/// <summary>
/// The assemblies of the shared framework the host runs on (the runtime's trusted platform list).
/// A plugin's reference to one of these resolves to the host's framework and needs no private copy.
/// </summary>
internal static class FrameworkAssemblies
{
    private static readonly Lazy<IReadOnlySet<string>> Names = new(ReadNames);

    public static bool Contains(string assemblyName) => Names.Value.Contains(assemblyName);

    private static HashSet<string> ReadNames()
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
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
        return names;
    }
}
