using System.Reflection;
using Notebook.Api;
using Notebook.Host;
using Notebook.NativeBridge;
using Plugboard;

string pluginsDirectory = args.SkipWhile(a => a != "--plugins").Skip(1).FirstOrDefault()
    ?? typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "PluginsDirectory").Value!;

var store = new NotebookStore();
store.Add(new Note("Trip to Lisbon", "Book the flight and the hotel near the river; the train from the airport is cheap."));
store.Add(new Note("Q3 budget", "The invoice from the printer is paid. Budget for the next quarter is tight, so check every price twice."));
store.Add(new Note("Bread", "A simple recipe: flour, water, salt and yeast. Bake in a hot oven for forty minutes until the crust sings."));
store.Add(new Note("Ideas", "Write the plugin guide, measure the reload latency, and ask the team what they would want from a host like this one, because the best features come from the people who use the thing every day and know where it hurts."));

Console.WriteLine($"Notebook sample host — Notebook.Api {typeof(INoteProcessor).Assembly.GetName().Version}, plugins from {pluginsDirectory}");
Console.WriteLine();

await using var host = new PluginHost<INoteProcessor>(new PluginHostOptions
{
    Settings = id => id == "daily-digest" ? new Dictionary<string, string> { ["Style"] = "short" } : null,
});

PluginCatalog catalog = host.Discover(pluginsDirectory);
var report = new PluginReport();
PluginLoadResult<INoteProcessor> result = await host.LoadAllAsync(catalog);
// The managed host leaves native plugins to the native loader: C, Rust and NativeAOT libraries over the C ABI.
IReadOnlyList<NativeNoteProcessor> natives = NativeNoteProcessor.LoadAll(result.Skipped.Select(e => e.Directory), out IReadOnlyList<PluginException> nativeFailures);
PluginCatalogEntry EntryOf(string id) => catalog.Entries.First(e => string.Equals(e.Id, id, StringComparison.OrdinalIgnoreCase));

foreach (Note note in store.Notes.Where(n => n.Author == "user"))
{
    foreach (LoadedPlugin<INoteProcessor> plugin in result.Loaded)
    {
        // Invoke counts the call in flight, so a reload or unload waits for it and later calls reach the new version.
        report.Record(plugin.Entry, $"#{note.Id}: {plugin.Invoke(processor => processor.Process(note, store))}");
    }
    foreach (NativeNoteProcessor native in natives)
    {
        try
        {
            report.Record(EntryOf(native.Plugin.Id), $"#{note.Id}: {native.Process(note, store)}");
        }
        catch (PluginException ex)
        {
            report.Record(EntryOf(native.Plugin.Id), $"#{note.Id}: failed {ex.CodeText} {ex.Cause}");
        }
    }
}
foreach (PluginFailure failure in result.Failed)
{
    report.Fail(failure.Entry, failure.Error);
}
foreach (PluginException failure in nativeFailures)
{
    report.Fail(EntryOf(failure.PluginId), failure);
}

report.PrintPlugins(Console.Out);
Console.WriteLine();
PluginReport.PrintNotes(Console.Out, store);
Console.WriteLine();

foreach (PluginException error in result.Failed.Select(f => f.Error).Concat(nativeFailures))
{
    Console.WriteLine($"rejected: {error.Message}");
}

if (args.Contains("--watch"))
{
    // Leave the host running: rebuild a plugin (dotnet build samples/plugins/WordStats) and watch it reload.
    host.PluginReloaded += (_, e) =>
    {
        Console.WriteLine($"reloaded: {e.PluginId} {e.PreviousVersion} -> {e.Version} in {e.Elapsed.TotalMilliseconds:F0} ms; old version {(e.Unload?.Collected == true ? "collected" : "NOT collected")}");
        LoadedPlugin<INoteProcessor>? plugin = host.Plugins.FirstOrDefault(p => p.Id == e.PluginId);
        foreach (Note note in store.Notes.Where(n => n.Author == "user"))
        {
            Console.WriteLine($"  #{note.Id}: {plugin?.Invoke(processor => processor.Process(note, store))}");
        }
    };
    host.PluginReloadFailed += (_, e) => Console.WriteLine($"reload failed, old version keeps serving: {e.Error?.Message}");
    host.PluginLoaded += (_, e) => Console.WriteLine($"loaded: {e.PluginId} {e.Version}");
    await using PluginDirectoryWatcher<INoteProcessor> watcher = host.Watch(pluginsDirectory);
    Console.WriteLine($"watching {pluginsDirectory} for changes; press Ctrl+C to stop");
    using var stop = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        stop.Cancel();
    };
    try
    {
        await Task.Delay(Timeout.Infinite, stop.Token);
    }
    catch (OperationCanceledException)
    {
    }
}

foreach (UnloadReport unload in await host.UnloadAllAsync())
{
    Console.WriteLine($"unloaded: {unload}");
}

foreach (NativeNoteProcessor native in natives)
{
    native.Dispose();
    // Only a library that declares itself unloadable is closed; saying so for the others would be untrue.
    Console.WriteLine(native.Plugin.IsUnloaded
        ? $"shut down: {native.Plugin.Id} (its library was unloaded: it declares itself unloadable)"
        : $"shut down: {native.Plugin.Id} (its library stays mapped: it does not declare itself unloadable)");
}

// The sample is meant to show one rejected plugin; anything else failing is an error of the sample itself.
int unexpected = result.Failed.Count(f => f.Entry.Id != "Misconfigured") + nativeFailures.Count;
return unexpected == 0 && result.Loaded.Count >= 3 ? 0 : 1;
