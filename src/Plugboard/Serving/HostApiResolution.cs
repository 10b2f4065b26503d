using System.Reflection;
using System.Runtime.Loader;

namespace Plugboard.Serving;

/// <summary>
/// Resolves the host API assemblies in the worker to the very files the host loaded: the worker runs from the host's
/// folder, so most are found there; an API assembly the host loaded from elsewhere is found by its path.
/// </summary>
internal static class HostApiResolution
{
    public static void Register(IEnumerable<string> paths)
    {
        Dictionary<string, string> byName = [];
        foreach (string path in paths)
        {
            byName.TryAdd(AssemblyName.GetAssemblyName(path).Name!, path);
        }
        AssemblyLoadContext.Default.Resolving += (context, name) =>
            name.Name is string simple && byName.TryGetValue(simple, out string? path) ? context.LoadFromAssemblyPath(path) : null;
    }

    /// <summary>The host's copy of each assembly (the one the default context resolves by name).</summary>
    public static IEnumerable<Assembly> Load(IEnumerable<string> paths) =>
        paths.Select(path => AssemblyLoadContext.Default.LoadFromAssemblyName(AssemblyName.GetAssemblyName(path)));
}
