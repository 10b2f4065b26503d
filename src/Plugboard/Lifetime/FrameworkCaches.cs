using System.Reflection;
using System.Reflection.Metadata;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace Plugboard.Lifetime;

/// <summary>
/// Empties the framework's caches keyed by type, which would keep an unloaded plugin alive for the life of the
/// process (System.Text.Json's reflection metadata, with default options and with options the plugin owns). Uses the
/// handlers the framework itself provides for hot reload (<see cref="MetadataUpdateHandlerAttribute"/>'s
/// <c>ClearCache</c>), which are written to be called at any time.
/// </summary>
internal static class FrameworkCaches
{
    private static readonly string SharedFrameworks = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", ".."));

    /// <summary>Clears them; returns what was cleared, for the log. The host pays: its next use of each cache rebuilds it.</summary>
    public static List<string> Clear()
    {
        var cleared = new List<string>();
        foreach (Assembly assembly in AssemblyLoadContext.Default.Assemblies.Where(IsSharedFramework))
        {
            foreach (MetadataUpdateHandlerAttribute handler in assembly.GetCustomAttributes<MetadataUpdateHandlerAttribute>())
            {
                // Only ClearCache: a handler's UpdateApplication re-renders or re-runs application parts.
                MethodInfo? clear = handler.HandlerType.GetMethod("ClearCache", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic, [typeof(Type[])]);
                if (clear is not null && Invoke(clear))
                {
                    cleared.Add(handler.HandlerType.FullName!);
                }
            }
            if (assembly.GetName().Name == "System.Text.Json" && ClearJsonDefaultOptions(assembly))
            {
                cleared.Add("System.Text.Json.JsonSerializerOptions.Default");
            }
        }
        return cleared;
    }

    // System.Text.Json's handler clears only the options instances it tracks, and it tracks them only while hot reload
    // is on (MetadataUpdater.IsSupported): the shared JsonSerializerOptions.Default, whose cache every
    // JsonSerializer call without options fills, is cleared here with the same internal method the handler calls.
    private static bool ClearJsonDefaultOptions(Assembly json)
    {
        Type? options = json.GetType("System.Text.Json.JsonSerializerOptions");
        object? defaults = options?.GetProperty("Default", BindingFlags.Static | BindingFlags.Public)?.GetValue(null);
        MethodInfo? clear = options?.GetMethod("ClearCaches", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public, Type.EmptyTypes);
        return defaults is not null && clear is not null && Invoke(clear, defaults);
    }

    private static bool Invoke(MethodInfo method, object? target = null)
    {
        try
        {
            method.Invoke(target, method.GetParameters().Length == 1 ? [null] : []);
            return true;
        }
        catch (TargetInvocationException)
        {
            return false; // a framework version that changed its internals: the plugin's report then names the cache
        }
    }

    private static bool IsSharedFramework(Assembly assembly) =>
        !assembly.IsDynamic && assembly.Location is { Length: > 0 } location && location.StartsWith(SharedFrameworks, StringComparison.Ordinal);
}
