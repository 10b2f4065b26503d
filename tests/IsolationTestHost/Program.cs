using IsolationApi;
using Plugboard;

// Loads every plugin of the folder given out of process, prints the process id of each worker (from inside it),
// then waits to be killed (or, with --once, ends). It runs on the ASP.NET Core shared framework as a web host does:
// its Microsoft.Extensions assemblies come from that framework, not from its own folder.
var options = new PluginHostOptions();
options.Isolation.Default = PluginIsolation.OutOfProcess;
await using var host = new PluginHost<IProbe>(options);
PluginLoadResult<IProbe> result = await host.LoadAllAsync(host.Discover(args[0]));
foreach (PluginFailure failure in result.Failed)
{
    Console.WriteLine($"failed {failure.Error.Message}");
}
foreach (LoadedPlugin<IProbe> plugin in result.Loaded)
{
    Console.WriteLine($"worker {plugin.Invoke(p => p.ProcessId())} {plugin.Invoke(p => p.Echo("from a web host"))}");
}
Console.WriteLine("ready");
Console.Out.Flush();
if (args is [_, "--once"])
{
    return;
}
Thread.Sleep(Timeout.Infinite);
