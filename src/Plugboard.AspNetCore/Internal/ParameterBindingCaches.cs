using System.Collections;
using System.Reflection;
using System.Runtime.Loader;

namespace Plugboard.AspNetCore.Internal;

/// <summary>
/// Empties, for one unloading plugin version, the cache ASP.NET Core's minimal APIs keep for the life of the
/// process: <c>ParameterBindingMethodCache.Instance</c> (and MVC's <c>NonThrowingInstance</c>) remembers, by parameter type, whether the type has
/// <c>TryParse</c>, <c>BindAsync</c> or a constructor to bind with. A route handler taking a plugin's type (a service
/// of its own, a record) puts that type there, and the type keeps the plugin's load context alive. There is no public
/// way to clear it and no hot-reload handler for it, so its dictionaries are read by reflection and only the keys
/// from the plugin's context are removed.
/// </summary>
internal static class ParameterBindingCaches
{
    /// <summary>The cache's full type name. Settable for the test that plays an ASP.NET Core which renamed it (warning 8005).</summary>
    internal static string CacheType { get; set; } = "Microsoft.AspNetCore.Http.ParameterBindingMethodCache";

    /// <summary>Removes the types of <paramref name="context"/>; returns how many entries went, or null when the cache was not found (an ASP.NET Core whose internals changed).</summary>
    public static int? Clear(AssemblyLoadContext context)
    {
        int? removed = null;
        // The class is shared source, compiled into each assembly that binds parameters (Http.Extensions, Mvc.Core, ...).
        foreach (Assembly assembly in AssemblyLoadContext.Default.Assemblies.Where(a => a.GetName().Name?.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal) == true))
        {
            // Instance, and NonThrowingInstance (MVC's, which a controller's request body of a plugin type fills).
            if (assembly.GetType(CacheType, throwOnError: false) is not Type cacheType)
            {
                continue;
            }
            foreach (object cache in cacheType.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
                .Where(f => f.FieldType == cacheType).Select(f => f.GetValue(null)).OfType<object>())
            {
                removed = (removed ?? 0) + Clear(cache, context);
            }
        }
        return removed;
    }

    private static int Clear(object cache, AssemblyLoadContext context)
    {
        int removed = 0;
        foreach (FieldInfo field in cache.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            if (field.GetValue(cache) is IDictionary byType && field.FieldType.IsGenericType && field.FieldType.GetGenericArguments()[0] == typeof(Type))
            {
                foreach (Type type in byType.Keys.Cast<Type>().Where(t => IsFrom(t, context)).ToList())
                {
                    byType.Remove(type);
                    removed++;
                }
            }
        }
        return removed;
    }

    private static bool IsFrom(Type type, AssemblyLoadContext context)
    {
        if (type.HasElementType)
        {
            return IsFrom(type.GetElementType()!, context);
        }
        return AssemblyLoadContext.GetLoadContext(type.Assembly) == context
            || (type.IsGenericType && type.GetGenericArguments().Any(a => IsFrom(a, context)));
    }
}
