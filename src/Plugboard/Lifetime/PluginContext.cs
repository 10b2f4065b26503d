using Microsoft.Extensions.Logging;

namespace Plugboard.Lifetime;

/// <summary>The <see cref="IPluginContext"/> a plugin receives: its identity, a log routed to the host's logging, its settings and the host's services.</summary>
internal sealed class PluginContext(PluginCatalogEntry entry, PluginHostOptions options) : IPluginContext
{
    private static readonly IReadOnlyDictionary<string, string> NoSettings = new Dictionary<string, string>();

    public string PluginId { get; } = entry.Id;

    public string PluginVersion { get; } = entry.Version?.ToNormalizedString() ?? "0.0.0";

    public string PluginDirectory { get; } = entry.Directory;

    public IPluginLog Log { get; } = new PluginLog(options.LoggerFactory?.CreateLogger($"Plugboard.Plugin.{entry.Id}"));

    public IReadOnlyDictionary<string, string> Settings { get; } = options.Settings?.Invoke(entry.Id) ?? NoSettings;

    public object? GetService(Type serviceType) =>
        serviceType == typeof(IPluginContext) ? this : options.Services?.GetService(serviceType);

    private sealed class PluginLog(ILogger? logger) : IPluginLog
    {
        public void Write(PluginLogLevel level, string message, Exception? exception = null)
        {
            if (logger is not null)
            {
                Internal.Log.PluginWrote(logger, (LogLevel)level, exception, message);
            }
        }
    }
}
