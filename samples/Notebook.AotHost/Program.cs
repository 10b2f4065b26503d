using System.Reflection;
using System.Runtime.CompilerServices;
using Notebook.Api;
using Notebook.Api.Native;
using Plugboard;
using Plugboard.Native;
using INoteProcessor = Notebook.Api.INoteProcessor;

// Usage: Notebook.AotHost [--plugins <folder of plugin folders>] [--plugin <one plugin folder>]...
// Exit code: 0 when every plugin asked for loaded and ran, 2 when any was rejected.
string pluginsDirectory = args.SkipWhile(a => a != "--plugins").Skip(1).FirstOrDefault()
    ?? typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "PluginsDirectory")?.Value
    ?? DefaultPluginsDirectory();
var folders = new List<string>();
for (int i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--plugin")
    {
        folders.Add(args[i + 1]);
    }
}
// Scanning a shared plugins folder: managed plugins there belong to the JIT host, so they are listed, not failed.
// Named explicitly with --plugin, a managed plugin is an error (PB0411) like any plugin that cannot load.
bool scanning = folders.Count == 0;
if (scanning && Directory.Exists(pluginsDirectory))
{
    folders.AddRange(Directory.GetDirectories(pluginsDirectory).Where(d => File.Exists(Path.Combine(d, "plugin.json"))).Order(StringComparer.Ordinal));
}

Console.WriteLine($"Notebook AOT host (NativeAOT: {!RuntimeFeature.IsDynamicCodeSupported}) — {folders.Count} plugin folder(s)");

var store = new NotebookStore();
store.Add(new Note("Groceries", "todo: buy milk, bread and coffee"));
store.Add(new Note("Plugins", "Plugins plugins everywhere. The host loads plugins, and plugins call the host back."));

// The generated bindings (Notebook.NativeBridge/Generated) serve the host classes a plugin gets as handles and declare
// the contract's layout, so a plugin built against another one is refused before its library opens (PB0418).
var loader = new NativePluginLoader(NoteProcessorProxy.Expect(NotebookApiHostTables.Offer(new NativePluginLoaderOptions())));
var plugins = new List<(NativePlugin Plugin, INoteProcessor? Processor)>();
int rejected = 0;
foreach (string folder in folders)
{
    try
    {
        // Every folder goes through the native loader: a managed plugin is refused with PB0411, not silently skipped.
        NativePlugin plugin = loader.Load(folder);
        // A plugin serving notebook.processor/2 is called as an INoteProcessor through the generated proxy; one that
        // does not gets the low-level escape hatch, its "process" operation through invoke.
        plugins.Add((plugin, plugin.GetInterface(NoteProcessorProxy.Id) != 0 ? NoteProcessorProxy.Create(plugin) : null));
    }
    catch (PluginException e) when (scanning && e.Code == PluginErrorCode.ManagedPluginInNativeAotHost)
    {
        Console.WriteLine($"skipped: {e.CodeText} {e.PluginId} is a managed plugin; run it in the JIT host (samples/Notebook.Host).");
    }
    catch (PluginException e)
    {
        rejected++;
        Console.WriteLine($"rejected: {e.Message}");
    }
}

foreach (Note note in store.Notes.ToList())
{
    foreach ((NativePlugin plugin, INoteProcessor? processor) in plugins)
    {
        try
        {
            string report = processor is not null ? processor.Process(note, store) : plugin.Invoke("process", note.Body);
            Console.WriteLine($"{plugin.Id} #{note.Id}: {report}");
        }
        catch (PluginException e)
        {
            rejected++;
            Console.WriteLine($"failed: {e.Message}");
        }
    }
}
foreach (Note note in store.Notes)
{
    string metrics = string.Join(", ", note.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"{m.Key}={m.Value}"));
    Console.WriteLine($"note #{note.Id} '{note.Title}' by {note.Author}: tags [{note.Tags}] metrics [{metrics}]");
}
foreach ((NativePlugin plugin, _) in plugins)
{
    plugin.Dispose();
}
return rejected == 0 ? 0 : 2;

static string DefaultPluginsDirectory() => Path.Combine(AppContext.BaseDirectory, "plugins");
