using Plugboard.Native;
using Plugboard.Trust;

namespace Plugboard.Loading;

/// <summary>
/// Native plugins (C, Rust, NativeAOT C#) over the C ABI, through <see cref="NativePluginLoader"/>; each loaded plugin
/// becomes an instance of the contract through the adapter the host registered
/// (<see cref="PluginHostOptions.AddNativeAdapter{TContract}(Func{NativePlugin, TContract})"/>).
/// </summary>
internal sealed class NativeRuntime<TContract>(NativePluginLoader loader, Func<NativePlugin, TContract>? adapter) : IPluginRuntime<TContract> where TContract : class
{
    public PluginKind Kind => PluginKind.Native;

    public PluginIsolation Isolation => PluginIsolation.InProcess;

    public bool ServesContract => adapter is not null;

    public bool LoadsConcurrently => true;

    public (PluginCode Code, IReadOnlyList<TContract> Instances) Load(PluginCatalogEntry entry, PluginSnapshot snapshot, IPluginContext pluginContext) =>
        LoadAsync(entry, snapshot, pluginContext).GetAwaiter().GetResult();

    public async Task<(PluginCode Code, IReadOnlyList<TContract> Instances)> LoadAsync(PluginCatalogEntry entry, PluginSnapshot snapshot, IPluginContext pluginContext)
    {
        // The library opened is the private copy of the bytes hashed at discovery, never the folder's file again.
        string vetted = PrivateCopy.Write(snapshot, entry.Id);
        Task<NativePlugin> initialized;
        try
        {
            // Returns once the library is open and its init runs on a call thread of its own.
            initialized = loader.LoadVettedAsync(entry.Directory, entry.Manifest, vetted);
        }
        finally
        {
            // A mapped library keeps its file alive on Unix: the copy can go at once. Windows keeps it (best effort).
            PrivateCopy.Delete(vetted);
        }
        NativePlugin plugin = await initialized.ConfigureAwait(false);
        TContract instance;
        try
        {
            instance = adapter!(plugin) ?? throw new InvalidOperationException("The adapter returned null.");
        }
#pragma warning disable CA1031 // Whatever the host's adapter throws becomes the plugin's typed load error.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            plugin.Dispose();
            throw new PluginException(PluginErrorCode.NativeAdapterFailed, entry.Id, entry.MainFile,
                $"The host's adapter from the native plugin to {typeof(TContract).FullName} failed: {ex.GetType().Name}: {ex.Message}",
                "Fix the adapter registered with PluginHostOptions.AddNativeAdapter; the plugin was shut down.", ex);
        }
        return (new NativeCode(plugin), [instance]);
    }

    private sealed class NativeCode(NativePlugin plugin) : PluginCode
    {
        public override CodeRelease Release()
        {
            plugin.Dispose();
            // A call or shutdown that never returned (PB0416) keeps the library mapped whatever the flags say.
            return new CodeRelease(null, plugin.ShutdownError is PluginException hung ? $"its native code never finished: {hung.Message}"
                : plugin.IsUnloaded ? null
                : "its native library stays mapped: it does not declare itself unloadable (PB_FLAG_UNLOADABLE in the descriptor and \"unloadable\": true in plugin.json); the plugin was shut down and is no longer called");
        }

        public override WeakReference? Abandon()
        {
            plugin.Dispose();
            return null;
        }
    }
}
