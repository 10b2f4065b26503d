using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Plugboard.Compatibility;
using Plugboard.Trust;

namespace Plugboard.Loading;

/// <summary>Managed plugins: each version in its own collectible <see cref="PluginLoadContext"/> sharing the host API.</summary>
internal sealed class ManagedRuntime<TContract>(HostApi hostApi, PluginEntryFactory? entryFactory,
    Func<PluginCatalogEntry, Dictionary<string, Assembly>> assembliesOfDependencies) : IPluginRuntime<TContract> where TContract : class
{
    public PluginKind Kind => PluginKind.Managed;

    public PluginIsolation Isolation => PluginIsolation.InProcess;

    // No plugin assembly can implement a contract that is Plugboard's own sealed native handle.
    public bool ServesContract => typeof(TContract) != typeof(Native.NativePlugin);

    public (PluginCode Code, IReadOnlyList<TContract> Instances) Load(PluginCatalogEntry entry, PluginSnapshot snapshot, IPluginContext pluginContext)
    {
        var context = new PluginLoadContext(entry.Id, snapshot, entry.MainFile!, hostApi, assembliesOfDependencies(entry));
        var code = new ManagedCode(context);
        try
        {
            Assembly main = EntryActivator.LoadMain(context, entry);
            code.Main = main;
            return (code, EntryActivator.CreateInstances<TContract>(main, entry, pluginContext, entryFactory));
        }
        catch
        {
            code.Abandon();
            throw;
        }
    }

    private sealed class ManagedCode(PluginLoadContext context) : PluginCode
    {
        private PluginLoadContext? _context = context;

        public Assembly? Main { get; set; }

        public override Assembly? MainAssembly => Main;

        public override bool Owns(Assembly assembly) => _context is not null && AssemblyLoadContext.GetLoadContext(assembly) == _context;

        // Never inlined: no frame of the caller may keep the context reachable.
        [MethodImpl(MethodImplOptions.NoInlining)]
        public override CodeRelease Release()
        {
            PluginLoadContext context = _context!;
            _context = null;
            Main = null;
            var weak = new WeakReference(context, trackResurrection: true);
            context.Unload();
            context.DeleteShadowCopies();
            return new CodeRelease(weak, null);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        public override WeakReference? Abandon()
        {
            // Nothing of a failed plugin stays loaded; its context goes when the last reference does.
            PluginLoadContext? context = Interlocked.Exchange(ref _context, null);
            Main = null;
            context?.Unload();
            context?.DeleteShadowCopies();
            return context is null ? null : new WeakReference(context, trackResurrection: true);
        }
    }
}
