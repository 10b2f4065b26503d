using IsolationApi;
using Plugboard;

// Loads every plugin of the folder given out of process, prints the process id of each worker (from inside it),
// then waits to be killed.
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
    Console.WriteLine($"worker {plugin.Invoke(p => p.ProcessId())}");
}
Console.WriteLine("ready");
Console.Out.Flush();
Thread.Sleep(Timeout.Infinite);
