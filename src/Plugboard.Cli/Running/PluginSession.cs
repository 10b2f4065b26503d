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
    /// <param name="contract">The contract type.</param>
    /// <param name="hostApi">The host API assemblies.</param>
    /// <param name="shared">Further shared assemblies.</param>
    /// <param name="outOfProcess">Ids of the plugins to run out of process (<c>*</c>: every managed plugin).</param>
    public static IPluginSession For(Type contract, IReadOnlyList<Assembly> hostApi, IReadOnlyList<Assembly> shared, IReadOnlyList<string> outOfProcess) =>
        (IPluginSession)Activator.CreateInstance(typeof(PluginSession<>).MakeGenericType(contract), hostApi, shared, outOfProcess)!;
}

/// <summary>Acts as a host of <typeparamref name="TContract"/> for run and watch: loads, reports, unloads.</summary>
internal sealed class PluginSession<TContract>(IReadOnlyList<Assembly> hostApi, IReadOnlyList<Assembly> shared, IReadOnlyList<string> outOfProcess) : IPluginSession where TContract : class
{
    public async Task<int> RunAsync(string directory, CommandContext context, CancellationToken cancellationToken)
    {
        // One host per contract: the host of TContract loads every plugin of that contract (managed, and native ones
        // with an adapter); the CLI has no adapter for a contract it only knows by name, so a second host, of
        // NativePlugin itself, loads the native plugins the first one skipped as "not this contract". Same entry
        // point, same lifecycle, same unload reports.
        await using PluginHost<TContract> host = new(ContractHostOptions());
        await using PluginHost<NativePlugin> nativeHost = new(Options());
        context.Progress($"Loading plugins from {directory} ...");
        (List<LoadedModel> loaded, List<FailedModel> failed) = await LoadAsync(host, directory, cancellationToken).ConfigureAwait(false);
        (_, List<FailedModel> nativeFailed) = await LoadAsync(nativeHost, directory, cancellationToken).ConfigureAwait(false);
        failed.AddRange(nativeFailed.Where(n => !failed.Any(f => string.Equals(f.Id, n.Id, StringComparison.OrdinalIgnoreCase))));
        List<(NativePlugin Plugin, PluginCatalogEntry Entry)> natives = [.. nativeHost.Plugins.Select(p => (p.Instances[0], p.Entry))];
        context.Progress($"Unloading {loaded.Count + natives.Count} plugin(s) ...");
        List<UnloadModel> unloaded = [.. (await host.UnloadAllAsync().ConfigureAwait(false)).Select(UnloadModel.From)];
        IReadOnlyList<UnloadReport> nativeReports = await nativeHost.UnloadAllAsync().ConfigureAwait(false);
        List<NativeRunModel> nativeModels = [.. natives.Select(n => new NativeRunModel(n.Plugin.Id, n.Plugin.Name, n.Plugin.Version, n.Plugin.AbiMinor, n.Plugin.Flags.ToString(),
            nativeReports.FirstOrDefault(r => r.PluginId == n.Entry.Id)?.Collected == true))];
        // A native library that does not declare itself unloadable stays mapped by design: not a failed unload.
        bool ok = failed.Count == 0 && unloaded.All(u => u.Collected);
        var model = new RunModel(directory, typeof(TContract).FullName!, ok, loaded, nativeModels, failed, unloaded);
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
        void Observe<T>(PluginHost<T> observed) where T : class
        {
            observed.PluginLoaded += (_, e) => Print("loaded", e);
            observed.PluginReloaded += (_, e) => Print("reloaded", e);
            observed.PluginReloadFailed += (_, e) => Print("reload-failed", e);
            observed.PluginUnloaded += (_, e) => Print("unloaded", e);
            observed.PluginFaulted += (_, e) => Print("faulted", e);
        }
        // As in run: the contract's host, and a host of NativePlugin for the native plugins it skips.
        await using PluginHost<TContract> host = new(ContractHostOptions());
        await using PluginHost<NativePlugin> nativeHost = new(Options());
        Observe(host);
        Observe(nativeHost);

        (_, List<FailedModel> failed) = await LoadAsync(host, directory, cancellationToken).ConfigureAwait(false);
        (_, List<FailedModel> nativeFailed) = await LoadAsync(nativeHost, directory, cancellationToken).ConfigureAwait(false);
        failed.AddRange(nativeFailed.Where(n => !failed.Any(f => string.Equals(f.Id, n.Id, StringComparison.OrdinalIgnoreCase))));
        foreach (FailedModel failure in failed)
        {
            Write(new WatchEventModel("load-failed", failure.Id, null, null, failure.Errors[0], null, 0, DateTimeOffset.Now));
        }
        await using (host.Watch(directory, debounce).ConfigureAwait(false))
        await using (nativeHost.Watch(directory, debounce).ConfigureAwait(false))
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
        await nativeHost.UnloadAllAsync().ConfigureAwait(false);
        return ExitCodes.Success;
    }

    // Only the contract's host isolates: the native host serves NativePlugin itself, a class that cannot cross a
    // process boundary (PB0704), so its plugins run in process.
    private PluginHostOptions ContractHostOptions()
    {
        PluginHostOptions options = Options();
        foreach (string id in outOfProcess)
        {
            if (id == "*")
            {
                options.Isolation.Default = PluginIsolation.OutOfProcess;
            }
            else
            {
                options.Isolation.OutOfProcessPlugins.Add(id);
            }
        }
        return options;
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

    private static async Task<(List<LoadedModel>, List<FailedModel>)> LoadAsync<T>(PluginHost<T> host, string directory, CancellationToken cancellationToken) where T : class
    {
        PluginCatalog catalog = host.Discover(directory);
        PluginLoadResult<T> result = await host.LoadAllAsync(catalog, cancellationToken).ConfigureAwait(false);
        // Out of process the host holds proxies: the entry types are the worker's, named by the entry.
        List<LoadedModel> loaded = [.. result.Loaded.Select(p => new LoadedModel(p.Id, p.Entry.Version?.ToNormalizedString(), p.Entry.EntryTypes,
            p.Isolation == PluginIsolation.OutOfProcess ? [$"(in worker process {p.WorkerProcessId})"] : [.. p.Instances.Select(i => i.GetType().FullName ?? i.GetType().Name)],
            p.Isolation))];
        List<FailedModel> failed = [.. result.Failed.Select(f => new FailedModel(f.Entry.Id, [.. f.Errors.Select(ProblemModel.From)]))];
        return (loaded, failed);
    }
}
