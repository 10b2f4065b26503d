using System.Reflection;
using System.Runtime.CompilerServices;
using Notebook.Api;
using Notebook.NativeBridge;
using Plugboard;

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

var processors = new List<NativeNoteProcessor>();
int rejected = 0;
foreach (string folder in folders)
{
    try
    {
        // Every folder goes through the native loader: a managed plugin is refused with PB0411, not silently skipped.
        processors.Add(NativeNoteProcessor.Load(folder));
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
    foreach (NativeNoteProcessor processor in processors)
    {
        try
        {
            Console.WriteLine($"{processor.Plugin.Id} #{note.Id}: {processor.Process(note, store)}");
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
foreach (NativeNoteProcessor processor in processors)
{
    processor.Dispose();
}
return rejected == 0 ? 0 : 2;

static string DefaultPluginsDirectory() => Path.Combine(AppContext.BaseDirectory, "plugins");
