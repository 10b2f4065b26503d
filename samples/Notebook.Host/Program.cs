using System.Reflection;
using Notebook.Api;
using Notebook.Host;
using Notebook.Api.Native;
using INoteChecker = Notebook.Api.INoteChecker;
using INoteProcessor = Notebook.Api.INoteProcessor;
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
// Native plugins (C, Rust, NativeAOT C#) implement INoteProcessor itself (exported as notebook.processor/2) on the
// bindings bindgen emits from Notebook.Api. The generated proxy is the contract instance, and the generated host tables
// of Note and NotebookStore serve the handles the plugin gets: no hand-written adapter.
NotebookApiHostTables.Offer(options.NativePlugins);
NoteProcessorProxy.Expect(options.NativePlugins);
options.AddNativeAdapter<INoteProcessor>(NoteProcessorProxy.Create);
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

// One plugin out of process: the proofreader, through INoteChecker (a contract of data only, which can cross a process
// boundary; INoteProcessor passes the host's own Note and NotebookStore objects and cannot). It runs in a worker
// process the host supervises, so its crash ends the worker, not the host.
// Beside it, a native one: the C word count, which implements INoteChecker itself (exported as notebook.checker/1). Its
// adapter is the generated NoteCheckerProxy: its static Create is what the worker makes anew (a delegate cannot cross a
// process boundary), and calls it there on the plugin's notebook.checker/1 table.
var isolation = new PluginHostOptions();
isolation.Isolation.OutOfProcessPlugins.Add("Proofreader");
isolation.Isolation.OutOfProcessPlugins.Add("c-wordcount");
isolation.AddNativeAdapter<INoteChecker>(NoteCheckerProxy.Create);
await using var checkers = new PluginHost<INoteChecker>(isolation);
LoadedPlugin<INoteChecker> proofreader = await checkers.LoadAsync(checkers.Inspect(Path.Combine(pluginsDirectory, "Proofreader")));
Console.WriteLine($"isolated: {proofreader.Id} runs {proofreader.Isolation} (host pid {Environment.ProcessId})");
Note first = store.Notes[0];
// Its deliberate bug: this text makes it call Environment.FailFast, which would end this host if it ran in process.
LoadedPlugin<INoteProcessor>? neighbour = result.Loaded.FirstOrDefault(p => p.Id == "WordStats");
bool proofreaderContained = ShowContainedCrash(proofreader, first, "Please #crash-the-proofreader now.",
    () => $"WordStats on #{first.Id}: {neighbour?.Invoke(processor => processor.Process(first, store))}");

// The native one: a NULL dereference in C, which in process would end this host with SIGSEGV.
LoadedPlugin<INoteChecker> wordCount = await checkers.LoadAsync(checkers.Inspect(Path.Combine(pluginsDirectory, "c-wordcount")));
Console.WriteLine($"isolated: {wordCount.Id} ({wordCount.Entry.Kind}) runs {wordCount.Isolation}");
bool wordCountContained = ShowContainedCrash(wordCount, first, "Please #crash-the-wordcount now.",
    () => $"{proofreader.Id} on #{first.Id}: {proofreader.Invoke(checker => checker.Check(first.Title, first.Body))}");
Console.WriteLine();

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
Console.WriteLine($"unloaded (out of process): {await proofreader.UnloadAsync()}");
Console.WriteLine($"unloaded (out of process): {await wordCount.UnloadAsync()}");

// The sample is meant to show one rejected plugin; anything else failing is an error of the sample itself.
int unexpected = result.Failed.Count(f => f.Entry.Id != "Misconfigured");
// So is a crash of the isolated plugin that was not contained, or a restart that did not serve the next call.
return unexpected == 0 && result.Loaded.Count >= 3 && proofreaderContained && wordCountContained ? 0 : 1;

// Checks a note with an isolated checker, then sends it the text that crashes it, asks another plugin, and checks the
// note again: true when the crash came back as the typed error and the next call was answered by another process.
static bool ShowContainedCrash(LoadedPlugin<INoteChecker> isolated, Note note, string crashText, Func<string> neighbour)
{
    string before = isolated.Invoke(checker => checker.Check(note.Title, note.Body));
    Console.WriteLine($"  #{note.Id}: {before}");
    bool contained = false;
    try
    {
        isolated.Invoke(checker => checker.Check("Crash test", crashText));
        Console.WriteLine($"  crash note: {isolated.Id} did not crash");
    }
    catch (PluginException ex) when (ex.Code == PluginErrorCode.WorkerCrashed)
    {
        contained = true;
        Console.WriteLine($"  crash note: contained: {ex.Message}");
    }
    Console.WriteLine($"  the others keep serving: {neighbour()}");
    // The supervisor restarted the worker (after RestartDelay, 100 ms); the next call waits for it and is answered by it.
    string again = isolated.Invoke(checker => checker.Check(note.Title, note.Body));
    Console.WriteLine($"  after the restart, #{note.Id}: {again}");
    return contained && again != before; // the same check, answered by another process
}
