using MyApp.Api;
using Plugboard;

// Optional: name the entry types explicitly (otherwise every public class implementing IPlugin is one).
[assembly: PluginEntry(typeof(HelloPlugin.Plugin))]

namespace HelloPlugin;

/// <summary>The plugin's entry type: created by the host when the plugin loads.</summary>
public sealed class Plugin : IPlugin, IPluginLifecycle
{
    private IPluginLog? _log;

    /// <inheritdoc />
    public string Name => "HelloPlugin";

    /// <inheritdoc />
    public string Execute(string input)
    {
        _log?.Write(PluginLogLevel.Debug, $"Execute({input})");
        return $"HelloPlugin received '{input}'";
    }

    /// <summary>Runs once after loading; undo in StopAsync anything that makes the host point at this plugin.</summary>
    public Task InitializeAsync(IPluginContext context, CancellationToken cancellationToken)
    {
        _log = context.Log;
        return Task.CompletedTask;
    }
}
