namespace Plugboard.Lifetime;

/// <summary>
/// The atomic swap of a reload: puts the new version in place of the old one. With state transfer (both versions
/// implement <see cref="IPluginStateTransfer"/>), new calls wait while the old version drains and hands over its
/// state; a drain that times out or is cancelled rolls back (the old version serves again) and never exports state
/// while a call is still running on it.
/// </summary>
internal static class GenerationSwap
{
    /// <returns>Null when the new version serves; else why the old one still does.</returns>
    public static async Task<PluginException?> SwapAsync<TContract>(IPluginSlot<TContract> plugin, PluginGeneration<TContract> old, PluginGeneration<TContract> next,
        TimeSpan drainTimeout, CancellationToken cancellationToken) where TContract : class
    {
        bool transfer = old.Instances.Any(i => i is IPluginStateTransfer) && next.Instances.Any(i => i is IPluginStateTransfer);
        if (!transfer)
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
            foreach (TContract instance in old.Instances)
            {
                if (instance is IPluginStateTransfer source
                    && next.Instances.FirstOrDefault(n => n.GetType().FullName == instance.GetType().FullName) is IPluginStateTransfer target
                    && source.ExportState() is object state)
                {
                    if (old.Code?.Owns(state.GetType().Assembly) == true)
                    {
                        throw new InvalidOperationException($"the exported state is of type {state.GetType().FullName}, which belongs to the old version of the plugin and would keep it loaded; export host API types, framework types or bytes");
                    }
                    target.ImportState(state);
                }
            }
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

    /// <summary>The error of a reload cancelled before its swap: nothing changed.</summary>
    public static PluginException Canceled<TContract>(IPluginSlot<TContract> plugin, string? oldVersion) where TContract : class =>
        new(PluginErrorCode.ReloadCanceled, plugin.Id, plugin.Entry.Directory,
            $"The reload was cancelled before the new version was swapped in; version {oldVersion} keeps serving and the new version was discarded.",
            "Reload again when you want the new version.");
}
