using System.Collections;
using System.Reflection;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ModelBinding.Validation;

namespace Plugboard.AspNetCore.Mvc;

/// <summary>
/// Empties MVC's caches that keep a released plugin's controller types for the life of the host, found with
/// Plugboard.Diagnostics' GC root paths: the model metadata provider's cache (by model identity: parameter, property
/// and container types), the model binder factory's (binders by metadata) and the object validator's (validators by metadata). MVC clears them itself only for hot
/// reload, which a normal process does not run, so their dictionaries are cleared by reflection; the host refills them
/// on its next requests.
/// </summary>
internal static class MvcCaches
{
    /// <summary>Where the caches are. Settable for the test that plays an MVC which renamed one (warning 8005).</summary>
    internal static IReadOnlyList<(Type Service, string Implementation, string Field)> Caches { get; set; } =
    [
        (typeof(IModelMetadataProvider), "Microsoft.AspNetCore.Mvc.ModelBinding.Metadata.DefaultModelMetadataProvider", "_modelMetadataCache"),
        (typeof(IModelBinderFactory), "Microsoft.AspNetCore.Mvc.ModelBinding.ModelBinderFactory", "_cache"),
        (typeof(IObjectModelValidator), "Microsoft.AspNetCore.Mvc.ModelBinding.Validation.DefaultObjectValidator", "_validatorCache.*"),
    ];

    /// <summary>Clears them; returns the caches that could not be found (an MVC whose internals changed), for the log.</summary>
    public static List<string> Clear(IServiceProvider services)
    {
        var missing = new List<string>();
        foreach ((Type service, string implementation, string field) in Caches)
        {
            object? instance = services.GetService(service);
            if (instance is null || instance.GetType().FullName != implementation)
            {
                continue; // MVC is not in the host, or the host replaced the service: not this cache
            }
            object? holder = instance;
            string[] steps = field.Split('.');
            foreach (string step in steps[..^1])
            {
                holder = holder is null ? null : FieldOf(holder.GetType(), step)?.GetValue(holder);
            }
            // "*": every dictionary the holder keeps (ValidatorCache's one dictionary, whatever its name).
            List<IDictionary> caches = holder is null ? []
                : steps[^1] == "*" ? [.. FieldsOf(holder.GetType()).Select(f => f.GetValue(holder)).OfType<IDictionary>()]
                : FieldOf(holder.GetType(), steps[^1])?.GetValue(holder) is IDictionary one ? [one] : [];
            if (caches.Count == 0)
            {
                missing.Add($"{implementation}.{field}");
            }
            foreach (IDictionary cache in caches)
            {
                cache.Clear();
            }
        }
        return missing;
    }

    private static IEnumerable<FieldInfo> FieldsOf(Type type)
    {
        for (Type? t = type; t is not null; t = t.BaseType)
        {
            foreach (FieldInfo field in t.GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                yield return field;
            }
        }
    }

    // A private field may be declared by a base class (ValidatorCache is ObjectModelValidator's, not DefaultObjectValidator's).
    private static FieldInfo? FieldOf(Type type, string name)
    {
        return FieldsOf(type).FirstOrDefault(f => f.Name == name);
    }
}
