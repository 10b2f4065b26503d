using System.Reflection;
using System.Reflection.Metadata;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace Plugboard.Lifetime;

/// <summary>
/// Empties the framework's caches keyed by type, which would keep an unloaded plugin alive for the life of the
/// process (System.Text.Json's reflection metadata, with default options and with options the plugin owns). Uses the
/// handlers the framework itself provides for hot reload (<see cref="MetadataUpdateHandlerAttribute"/>'s
/// <c>ClearCache</c>), which are written to be called at any time, and removes an unloading plugin's types from
/// TypeDescriptor's record of the types it checked, which no handler clears.
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
            if (assembly.GetName().Name == "System.ComponentModel.TypeConverter" && ForgetUnloadingTypes() > 0)
            {
                cleared.Add("System.ComponentModel.TypeDescriptor's checked types");
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

    // TypeDescriptor remembers each type it looked for a default provider on (with its interfaces: IEquatable<T> of a
    // plugin's record) in a static dictionary, and its reflection provider keeps what it reflected per type in a
    // dictionary of its own; its hot-reload handler clears neither for a type of a context that is gone. Host code
    // that describes a plugin's type (MVC's model metadata asks for a request body type's converter) pins the plugin
    // there. Only types of contexts that are unloading are removed: forgetting a live type would add its attribute's
    // providers twice.
    private static int ForgetUnloadingTypes()
    {
        // Unload() takes a context out of AssemblyLoadContext.All at once; its types are still reachable until collected.
        var live = new HashSet<AssemblyLoadContext>(AssemblyLoadContext.All);
        int removed = 0;
        foreach (FieldInfo field in typeof(System.ComponentModel.TypeDescriptor).GetFields(BindingFlags.Static | BindingFlags.NonPublic))
        {
            object? value = field.GetValue(null);
            removed += Forget(value, live);
            // The provider table's nodes (a chain per key): each provider's own caches by type.
            if (value is System.Collections.IDictionary table && !IsByType(value))
            {
                foreach (object? node in table.Values.Cast<object?>().ToList())
                {
                    for (object? n = node; n is not null; n = FieldValue(n, "Next"))
                    {
                        if (FieldValue(n, "Provider") is object provider)
                        {
                            foreach (FieldInfo cache in provider.GetType().GetFields(BindingFlags.Instance | BindingFlags.NonPublic))
                            {
                                removed += Forget(cache.GetValue(provider), live);
                            }
                        }
                    }
                }
            }
        }
        return removed;
    }

    private static int Forget(object? cache, HashSet<AssemblyLoadContext> live)
    {
        if (cache is not System.Collections.IDictionary byType || !IsByType(cache))
        {
            return 0;
        }
        List<Type> unloading = [.. byType.Keys.OfType<Type>().Where(t => IsUnloading(t, live))];
        foreach (Type type in unloading)
        {
            byType.Remove(type);
        }
        return unloading.Count;
    }

    private static bool IsByType(object cache) =>
        cache.GetType().IsGenericType && cache.GetType().GetGenericArguments()[0] == typeof(Type);

    private static object? FieldValue(object holder, string name) =>
        holder.GetType().GetField(name, BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)?.GetValue(holder);

    private static bool IsUnloading(Type type, HashSet<AssemblyLoadContext> live)
    {
        if (type.HasElementType)
        {
            return IsUnloading(type.GetElementType()!, live);
        }
        return (type.Assembly.IsCollectible && AssemblyLoadContext.GetLoadContext(type.Assembly) is AssemblyLoadContext context && !live.Contains(context))
            || (type.IsGenericType && !type.IsGenericTypeDefinition && type.GetGenericArguments().Any(a => IsUnloading(a, live)));
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
