using System.Reflection;
using System.Runtime.Loader;

namespace Plugboard.Lifetime;

/// <summary>
/// Finds the plugin's handlers on the framework's process-wide events (<c>AppDomain.ProcessExit</c>,
/// <c>AppDomain.UnhandledException</c>, <c>AppDomain.AssemblyResolve</c>, <c>Console.CancelKeyPress</c>, ...): each
/// keeps the plugin alive for the life of the process. Read from the fields behind those events, which is cheap enough
/// to run on every unload that did not collect, with or without the deep diagnosis.
/// </summary>
internal static class FrameworkStaticEvents
{
    private const BindingFlags Statics = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    // The public event each backing field serves, where the field's own name does not say it.
    private static readonly Dictionary<string, string> PublicNames = new(StringComparer.Ordinal)
    {
        ["System.AppContext.UnhandledException"] = "AppDomain.UnhandledException",
        ["System.AppContext.FirstChanceException"] = "AppDomain.FirstChanceException",
        ["System.AppContext.ProcessExit"] = "AppDomain.ProcessExit",
        ["System.Runtime.Loader.AssemblyLoadContext.AssemblyResolve"] = "AppDomain.AssemblyResolve",
        ["System.Runtime.Loader.AssemblyLoadContext.TypeResolve"] = "AppDomain.TypeResolve",
        ["System.Runtime.Loader.AssemblyLoadContext.ResourceResolve"] = "AppDomain.ResourceResolve",
        ["System.Runtime.Loader.AssemblyLoadContext.AssemblyLoad"] = "AppDomain.AssemblyLoad",
        ["System.Console.s_cancelCallbacks"] = "Console.CancelKeyPress",
        ["System.Threading.Tasks.TaskScheduler._unobservedTaskException"] = "TaskScheduler.UnobservedTaskException",
        ["System.Runtime.Loader.AssemblyLoadContext._resolving"] = "AssemblyLoadContext.Default.Resolving",
        ["System.Runtime.Loader.AssemblyLoadContext._resolvingUnmanagedDll"] = "AssemblyLoadContext.Default.ResolvingUnmanagedDll",
        ["System.Runtime.Loader.AssemblyLoadContext._unloading"] = "AssemblyLoadContext.Default.Unloading",
    };

    public static IEnumerable<string> Find(HashSet<Assembly> pluginAssemblies)
    {
        (Type Type, object? Instance)[] holders =
        [
            (typeof(AppContext), null), (typeof(AppDomain), null), (typeof(AssemblyLoadContext), null), (typeof(Console), null),
            (typeof(TaskScheduler), null), (typeof(AppDomain), AppDomain.CurrentDomain), (typeof(AssemblyLoadContext), AssemblyLoadContext.Default),
        ];
        foreach ((Type type, object? instance) in holders)
        {
            foreach (FieldInfo field in type.GetFields(instance is null ? Statics : Instance).Where(f => typeof(Delegate).IsAssignableFrom(f.FieldType)))
            {
                if (field.GetValue(instance) is not Delegate value)
                {
                    continue;
                }
                foreach (Delegate handler in value.GetInvocationList())
                {
                    if (handler.Method.DeclaringType is Type owner && pluginAssemblies.Contains(owner.Assembly))
                    {
                        string name = PublicNames.GetValueOrDefault($"{type.FullName}.{field.Name}") ?? $"{type.Name}.{field.Name.TrimStart('_')}";
                        yield return $"framework static event {name} still holds the plugin's handler {owner.FullName}.{handler.Method.Name} (unsubscribe in StopAsync)";
                    }
                }
            }
        }
    }
}
