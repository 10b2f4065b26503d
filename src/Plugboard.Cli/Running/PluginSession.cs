using System.Reflection;
using Plugboard.Cli.Output;
using Plugboard.Native;

namespace Plugboard.Cli.Running;

/// <summary>What run and watch do with a contract type only known at run time.</summary>
internal interface IPluginSession
{
    Task<int> RunAsync(string directory, CommandContext context, CancellationToken cancellationToken);

    Task<int> WatchAsync(string directory, TimeSpan debounce, TimeSpan? duration, CommandContext context, CancellationToken cancellationToken);
}

/// <summary>Creates sessions for contract types loaded from host API files.</summary>
internal static class PluginSession
{
    public static IPluginSession For(Type contract, IReadOnlyList<Assembly> hostApi, IReadOnlyList<Assembly> shared) =>
        (IPluginSession)Activator.CreateInstance(typeof(PluginSession<>).MakeGenericType(contract), hostApi, shared)!;
}

/// <summary>Acts as a host of <typeparamref name="TContract"/> for run and watch: loads, reports, unloads.</summary>
internal sealed class PluginSession<TContract>(IReadOnlyList<Assembly> hostApi, IReadOnlyList<Assembly> shared) : IPluginSession where TContract : class
{
    public async Task<int> RunAsync(string directory, CommandContext context, CancellationToken cancellationToken)
    {
        await using PluginHost<TContract> host = new(Options());
        context.Progress($"Loading plugins from {directory} ...");
        (List<LoadedModel> loaded, List<FailedModel> failed, List<PluginCatalogEntry> native) = await LoadAsync(host, directory, cancellationToken).ConfigureAwait(false);
        List<NativeRunModel> natives = RunNative(native, failed);
        context.Progress($"Unloading {loaded.Count} plugin(s) ...");
        List<UnloadModel> unloaded = [.. (await host.UnloadAllAsync().ConfigureAwait(false)).Select(UnloadModel.From)];
        bool ok = failed.Count == 0 && unloaded.All(u => u.Collected);
        var model = new RunModel(directory, typeof(TContract).FullName!, ok, loaded, natives, failed, unloaded);
        if (context.Json)
        {
            JsonOutput.Write(context.Out, model);
        }
        else
        {
            RunView.Render(context.Human, model);
        }
        return ok ? ExitCodes.Success : ExitCodes.PluginProblems;
    }

    public async Task<int> WatchAsync(string directory, TimeSpan debounce, TimeSpan? duration, CommandContext context, CancellationToken cancellationToken)
    {
        var gate = new Lock();
        HumanOutput human = context.Human;
        void Print(string kind, PluginEventArgs e) => Write(new WatchEventModel(kind, e.PluginId, e.Version, e.PreviousVersion,
            e.Error is null ? null : ProblemModel.From(e.Error), e.Unload is null ? null : UnloadModel.From(e.Unload), Math.Round(e.Elapsed.TotalMilliseconds, 1), DateTimeOffset.Now));
        void Write(WatchEventModel model)
        {
            lock (gate)
            {
                if (context.Json)
                {
                    JsonOutput.WriteLine(context.Out, model);
                }
                else
                {
                    RunView.Event(human, model);
                }
            }
        }
        await using PluginHost<TContract> host = new(Options());
        host.PluginLoaded += (_, e) => Print("loaded", e);
        host.PluginReloaded += (_, e) => Print("reloaded", e);
        host.PluginReloadFailed += (_, e) => Print("reload-failed", e);
        host.PluginUnloaded += (_, e) => Print("unloaded", e);
        host.PluginFaulted += (_, e) => Print("faulted", e);

        (_, List<FailedModel> failed, _) = await LoadAsync(host, directory, cancellationToken).ConfigureAwait(false);
        foreach (FailedModel failure in failed)
        {
            Write(new WatchEventModel("load-failed", failure.Id, null, null, failure.Errors[0], null, 0, DateTimeOffset.Now));
        }
        await using (host.Watch(directory, debounce).ConfigureAwait(false))
        {
            context.Progress(duration is null
                ? $"Watching {directory} (debounce {debounce.TotalMilliseconds:F0} ms); press Ctrl+C to stop."
                : $"Watching {directory} (debounce {debounce.TotalMilliseconds:F0} ms) for {duration.Value.TotalSeconds:F0} s.");
            try
            {
                await Task.Delay(duration ?? Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
        }
        await host.UnloadAllAsync().ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private PluginHostOptions Options()
    {
        // The tool is where a plugin author looks for why a plugin stays alive: the deep diagnosis is on.
        var options = new PluginHostOptions { UnloadDiagnosis = new Plugboard.Diagnostics.HeapRootDiagnosis() };
        foreach (Assembly assembly in hostApi)
        {
            options.HostApiAssemblies.Add(assembly);
        }
        foreach (Assembly assembly in shared)
        {
            options.SharedAssemblies.Add(assembly);
        }
        return options;
    }

    /// <summary>Native plugins go through Plugboard.Native's loader: load, init, then shut down again.</summary>
    private static List<NativeRunModel> RunNative(List<PluginCatalogEntry> entries, List<FailedModel> failed)
    {
        var results = new List<NativeRunModel>();
        var loader = new NativePluginLoader();
        foreach (PluginCatalogEntry entry in entries)
        {
            try
            {
                NativePlugin plugin = loader.Load(entry.Directory);
                plugin.Dispose();
                results.Add(new NativeRunModel(plugin.Id, plugin.Name, plugin.Version, plugin.AbiMinor, plugin.Flags.ToString(), plugin.IsUnloaded));
            }
            catch (PluginException ex)
            {
                failed.Add(new FailedModel(entry.Id, [ProblemModel.From(ex)]));
            }
        }
        return results;
    }

    private static async Task<(List<LoadedModel>, List<FailedModel>, List<PluginCatalogEntry>)> LoadAsync(PluginHost<TContract> host, string directory, CancellationToken cancellationToken)
    {
        PluginCatalog catalog = host.Discover(directory);
        PluginLoadResult<TContract> result = await host.LoadAllAsync(catalog, cancellationToken).ConfigureAwait(false);
        List<LoadedModel> loaded = [.. result.Loaded.Select(p => new LoadedModel(p.Id, p.Entry.Version?.ToNormalizedString(), p.Entry.EntryTypes,
            [.. p.Instances.Select(i => i.GetType().FullName ?? i.GetType().Name)]))];
        List<FailedModel> failed = [.. result.Failed.Select(f => new FailedModel(f.Entry.Id, [.. f.Errors.Select(ProblemModel.From)]))];
        return (loaded, failed, [.. result.Skipped]);
    }
}
