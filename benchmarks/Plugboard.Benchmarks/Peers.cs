using System.Composition.Convention;
using System.Composition.Hosting;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using McMaster.NETCore.Plugins;
using Plugboard.Benchmarks.Api;

namespace Plugboard.Benchmarks;

/// <summary>The limit: the same contract implemented by a type inside the host.</summary>
public sealed class HostCalculator : IBenchPlugin
{
    public string Version => "host";

    public int Compute(int x) => x + 1;

    public int CallHost(IBenchHost host, int x) => host.Echo(x) + 1;
}

/// <summary>The host service plugins call back into.</summary>
public sealed class BenchHost : IBenchHost
{
    public int Echo(int x) => x;
}

/// <summary>
/// The raw runtime, the limit for loading: one collectible <see cref="AssemblyLoadContext"/> with an
/// <see cref="AssemblyDependencyResolver"/>, the host API resolved from the default context, nothing else.
/// </summary>
internal sealed class RawPluginContext : AssemblyLoadContext
{
    private static readonly string ApiName = typeof(IBenchPlugin).Assembly.GetName().Name!;
    private readonly AssemblyDependencyResolver _resolver;

    public RawPluginContext(string mainAssemblyPath) : base(isCollectible: true) => _resolver = new AssemblyDependencyResolver(mainAssemblyPath);

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name == ApiName)
        {
            return null;
        }
        string? path = _resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    /// <summary>Loads the plugin's main assembly and creates its entry type (known, as a catalog would know it).</summary>
    public static (RawPluginContext Context, IBenchPlugin Instance) Load(string mainAssemblyPath)
    {
        var context = new RawPluginContext(mainAssemblyPath);
        Assembly assembly = context.LoadFromAssemblyPath(mainAssemblyPath);
        var instance = (IBenchPlugin)Activator.CreateInstance(assembly.GetType(PluginFarm.EntryTypeName, throwOnError: true)!)!;
        return (context, instance);
    }
}

/// <summary>How the peers do the same jobs, written as their documentation shows.</summary>
internal static class Peers
{
    private static readonly Type[] SharedTypes = [typeof(IBenchPlugin), typeof(IBenchHost)];

    public static PluginLoader McMasterLoader(string mainAssemblyPath, Action<PluginConfig>? configure = null) =>
        PluginLoader.CreateFromAssemblyFile(mainAssemblyPath, isUnloadable: true, sharedTypes: SharedTypes, configure ?? (_ => { }));

    /// <summary>McMaster: a loader, the plugin's assembly, the first type implementing the contract, an instance.</summary>
    public static (PluginLoader Loader, IBenchPlugin Instance) McMasterLoad(string mainAssemblyPath)
    {
        PluginLoader loader = McMasterLoader(mainAssemblyPath);
        Assembly assembly = loader.LoadDefaultAssembly();
        Type type = assembly.GetTypes().First(t => typeof(IBenchPlugin).IsAssignableFrom(t) && !t.IsAbstract);
        return (loader, (IBenchPlugin)Activator.CreateInstance(type)!);
    }

    /// <summary>McMaster has no metadata-only discovery: load each plugin to find its plugin types, then dispose it.</summary>
    public static int McMasterDiscover(string pluginsDirectory)
    {
        int found = 0;
        foreach (string folder in Directory.EnumerateDirectories(pluginsDirectory))
        {
            string main = Path.Combine(folder, Path.GetFileName(folder) + ".dll");
            using PluginLoader loader = McMasterLoader(main);
            found += loader.LoadDefaultAssembly().GetTypes().Count(t => typeof(IBenchPlugin).IsAssignableFrom(t) && !t.IsAbstract);
        }
        return found;
    }

    /// <summary>
    /// MEF (System.Composition): the assemblies must be loaded to be composed. Each discovery loads them into a fresh
    /// collectible context (a second discovery in the default context would find them already loaded and measure nothing),
    /// exports the contract by convention (the plugins carry no MEF attributes) and lists the exports without creating them.
    /// </summary>
    public static int MefDiscover(string pluginsDirectory)
    {
        var context = new AssemblyLoadContext("mef-discovery", isCollectible: true);
        try
        {
            var assemblies = new List<Assembly>();
            foreach (string folder in Directory.EnumerateDirectories(pluginsDirectory))
            {
                assemblies.Add(context.LoadFromAssemblyPath(Path.Combine(folder, Path.GetFileName(folder) + ".dll")));
            }
            var conventions = new ConventionBuilder();
            conventions.ForTypesDerivedFrom<IBenchPlugin>().Export<IBenchPlugin>();
            using CompositionHost container = new ContainerConfiguration().WithAssemblies(assemblies, conventions).CreateContainer();
            return container.GetExports<Lazy<IBenchPlugin>>().Count();
        }
        finally
        {
            context.Unload();
        }
    }

    /// <summary>The same proof Plugboard gives: full collections until the weak reference dies, at most <paramref name="attempts"/>.</summary>
    public static bool CollectedWithin(WeakReference context, int attempts = 10)
    {
        for (int i = 0; i < attempts && context.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        return !context.IsAlive;
    }

    /// <summary>Loads, calls once, unloads; returns a weak reference to the context, from a frame that is gone.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static WeakReference RawCycle(string mainAssemblyPath)
    {
        (RawPluginContext context, IBenchPlugin instance) = RawPluginContext.Load(mainAssemblyPath);
        Check(instance.Compute(1));
        context.Unload();
        // The proof the runtime's documentation gives ("How to use and debug assembly unloadability") and Plugboard
        // uses: a weak reference that tracks resurrection, alive until the context has been finalized and collected.
        // A short weak reference is cleared one collection earlier, before the context's finalizer ran, and would
        // make the baselines prove less than Plugboard does.
        return new WeakReference(context, trackResurrection: true);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static WeakReference McMasterCycle(string mainAssemblyPath)
    {
        (PluginLoader loader, IBenchPlugin instance) = McMasterLoad(mainAssemblyPath);
        Check(instance.Compute(1));
        var weak = new WeakReference(loader.LoadContext, trackResurrection: true); // the same proof as the raw runtime's (above)
        loader.Dispose();
        return weak;
    }

    public static void Check(int result)
    {
        if (result != 2)
        {
            throw new InvalidOperationException($"the plugin answered {result}, not 2");
        }
    }
}
