using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Notebook.Api;
using Notebook.Web;
using Plugboard;
using Plugboard.AspNetCore;
using Plugboard.Hosting;

// Two ways to run it:
//   dotnet run --project samples/Notebook.Web               serves http://127.0.0.1:5080 and watches the built web
//                                                           plugins: rebuild samples/plugins/web/NotesWeb and it reloads.
//   dotnet run --project samples/Notebook.Web -- --self-test  serves on a free loopback port, requests the plugin's
//                                                           endpoint and controller, replaces the plugin with its next
//                                                           version while serving, requests again, unloads it, exits.
bool selfTest = args.Contains("--self-test");
string built = Metadata("PluginsDirectory");
// The self-test works on a copy, so replacing the plugin there leaves the build's output as it was.
using var copy = selfTest ? SampleFolder.CopyOf(built) : null;
string pluginsDirectory = copy?.Path ?? built;
int port = int.Parse(args.SkipWhile(a => a != "--port").Skip(1).FirstOrDefault() ?? (selfTest ? "0" : "5080"), System.Globalization.CultureInfo.InvariantCulture);

WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
// Loopback only: a sample, not a server for the network.
builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
if (selfTest)
{
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
}

var store = new NotebookStore();
store.Add(new Note("Trip to Lisbon", "Book the flight and the hotel near the river; the train from the airport is cheap."));
store.Add(new Note("Bread", "A simple recipe: flour, water, salt and yeast. Bake in a hot oven for forty minutes until the crust sings."));
builder.Services.AddSingleton(store);

// The plugins' contract is the web plugin contract; the Notebook API is a second host API they share with the host,
// so the NotebookStore a plugin receives is the host's own instance.
builder.Services.AddPlugboard<IWebPlugin>(plugboard =>
{
    plugboard.PluginFolders.Add(pluginsDirectory);
    plugboard.HostApiAssemblies.Add("Notebook.Api");
    plugboard.HotReload = true;
}).AddWebPlugins();
builder.Services.AddControllers();

WebApplication app = builder.Build();
app.MapGet("/", (PluginHost<IWebPlugin> plugins) => plugins.Plugins.Select(p => $"{p.Id} {p.Entry.Version}: /plugins/{p.Id}"));
app.MapControllers();
app.MapPlugins();

PluginHost<IWebPlugin> host = app.Services.GetRequiredService<PluginHost<IWebPlugin>>();
var reloaded = new TaskCompletionSource<PluginEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
host.PluginReloaded += (_, e) =>
{
    Console.WriteLine($"reloaded: {e.PluginId} {e.PreviousVersion} -> {e.Version} in {e.Elapsed.TotalMilliseconds:F0} ms; old version {(e.Unload?.Collected == true ? "collected" : "NOT collected")}");
    reloaded.TrySetResult(e);
};
host.PluginReloadFailed += (_, e) => Console.WriteLine($"reload failed, the old version keeps serving: {e.Error?.Message}");

await app.StartAsync();
string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
Console.WriteLine($"Notebook web sample on {address}, plugins from {pluginsDirectory}");
foreach (LoadedPlugin<IWebPlugin> plugin in host.Plugins)
{
    Console.WriteLine($"loaded: {plugin.Id} {plugin.Entry.Version}");
}

int exitCode = 0;
if (selfTest)
{
    exitCode = await new SelfTest(host, new Uri(address), copy!, Metadata("NextPluginsDirectory"), reloaded.Task).RunAsync();
}
else
{
    Console.WriteLine($"try {address}plugins/notes-web/notes and {address}plugins/notes-web/api/notes/1; rebuild samples/plugins/web/NotesWeb to reload it; Ctrl+C stops");
    await app.WaitForShutdownAsync();
}
await app.StopAsync();
await app.DisposeAsync();
return exitCode;

static string Metadata(string key) =>
    typeof(SelfTest).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == key).Value!;
