using Plugboard.Loading;

namespace Plugboard.Lifetime;

/// <summary>
/// The atomic swap of a reload: puts the new version in place of the old one. With state transfer (both versions
/// implement <see cref="IPluginStateTransfer"/>, in process or out: <see cref="IStateHandover"/>), new calls wait while the old version drains and hands over its
/// state; a drain that times out or is cancelled rolls back (the old version serves again) and never exports state
/// while a call is still running on it.
/// </summary>
internal static class GenerationSwap
{
    /// <returns>Null when the new version serves; else why the old one still does.</returns>
    public static async Task<PluginException?> SwapAsync<TContract>(IPluginSlot<TContract> plugin, PluginGeneration<TContract> old, PluginGeneration<TContract> next,
        TimeSpan drainTimeout, CancellationToken cancellationToken) where TContract : class
    {
        IStateHandover from = Handover(old), to = Handover(next);
        if (!from.TransfersState || !to.TransfersState)
        {
            plugin.Swap(next);
            return null;
        }
        old.Gate.Close();
        bool drained;
        try
        {
            drained = await old.Gate.DrainAsync(drainTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            plugin.RollBack(old);
            return Canceled(plugin, old.Entry.VersionText);
        }
        if (!drained)
        {
            int running = old.InFlight;
            plugin.RollBack(old);
            return new PluginException(PluginErrorCode.ReloadDrainTimedOut, plugin.Id, next.Entry.MainFile,
                $"{running} call(s) were still running on version {old.Entry.VersionText} after the drain timeout ({drainTimeout}); its state cannot be handed over while a call may still change it, so version {old.Entry.VersionText} keeps serving and version {next.Entry.VersionText} was discarded.",
                "Reload again when the long calls have finished, or raise PluginHostOptions.DrainTimeout.");
        }
        try
        {
            await to.ImportAsync(await from.ExportAsync(to.Takes).ConfigureAwait(false)).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Whatever the plugin's ExportState/ImportState throws becomes the reload's typed error.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            plugin.RollBack(old);
            return new PluginException(PluginErrorCode.StateTransferFailed, plugin.Id, next.Entry.MainFile,
                $"Handing state from version {old.Entry.VersionText} to {next.Entry.VersionText} failed: {ex.Message}",
                "Fix ExportState/ImportState; the old version keeps serving until a new version imports its state.", new PluginCodeException(ex));
        }
        plugin.Swap(next);
        return null;
    }

    // Out of process the worker's plugin hands it over; in process the entry instances themselves.
    private static IStateHandover Handover<TContract>(PluginGeneration<TContract> generation) where TContract : class =>
        generation.Code?.StateHandover ?? new InstanceStateHandover<TContract>(generation.Instances, generation.Code);

    /// <summary>The error of a reload cancelled before its swap: nothing changed.</summary>
    public static PluginException Canceled<TContract>(IPluginSlot<TContract> plugin, string? oldVersion) where TContract : class =>
        new(PluginErrorCode.ReloadCanceled, plugin.Id, plugin.Entry.Directory,
            $"The reload was cancelled before the new version was swapped in; version {oldVersion} keeps serving and the new version was discarded.",
            "Reload again when you want the new version.");
}
