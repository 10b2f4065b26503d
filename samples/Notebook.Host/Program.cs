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

var options = new PluginHostOptions
{
    Settings = id => id == "daily-digest" ? new Dictionary<string, string> { ["Style"] = "short" } : null,
};
// Native plugins (C, Rust, NativeAOT C#) serve as INoteProcessor through the bridge's adapter. The samples implement
// the contract notebook.processor/1 on the bindings bindgen emits, and are called through the generated proxy with the
// note's shared data and a notes handle; a plugin without that table through invoke("process").
NativeNoteProcessor.OfferNotesInterface(options.NativePlugins);
options.AddNativeAdapter<INoteProcessor>(plugin => new NativeNoteProcessor(plugin));
await using var host = new PluginHost<INoteProcessor>(options);

PluginCatalog catalog = host.Discover(pluginsDirectory);
var report = new PluginReport();
PluginLoadResult<INoteProcessor> result = await host.LoadAllAsync(catalog);

foreach (Note note in store.Notes.Where(n => n.Author == "user"))
{
    // One loop over one list: managed and native plugins alike.
    foreach (LoadedPlugin<INoteProcessor> plugin in result.Loaded)
    {
        try
        {
            // Invoke counts the call in flight, so a reload or unload waits for it and later calls reach the new version.
            report.Record(plugin.Entry, $"#{note.Id}: {plugin.Invoke(processor => processor.Process(note, store))}");
        }
        catch (PluginException ex)
        {
            report.Record(plugin.Entry, $"#{note.Id}: failed {ex.CodeText} {ex.Cause}");
        }
    }
}
foreach (PluginFailure failure in result.Failed)
{
    report.Fail(failure.Entry, failure.Error);
}

report.PrintPlugins(Console.Out);
Console.WriteLine();
PluginReport.PrintNotes(Console.Out, store);
Console.WriteLine();

foreach (PluginException error in result.Failed.Select(f => f.Error))
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

// The sample is meant to show one rejected plugin; anything else failing is an error of the sample itself.
int unexpected = result.Failed.Count(f => f.Entry.Id != "Misconfigured");
return unexpected == 0 && result.Loaded.Count >= 3 ? 0 : 1;
