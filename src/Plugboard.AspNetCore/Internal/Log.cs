using Microsoft.Extensions.Logging;

namespace Plugboard.AspNetCore.Internal;

/// <summary>Every message the web integration writes, with stable event ids (8xxx).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 8001, Level = LogLevel.Information, Message = "Plugin {PluginId} {Version} serves {Count} endpoint(s) under {Prefix}")]
    public static partial void Mapped(ILogger logger, string pluginId, string? version, int count, string prefix);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Information, Message = "Plugin {PluginId}: its endpoints were removed (version released)")]
    public static partial void Removed(ILogger logger, string pluginId);

    /// <summary>The message is the PluginException's (it starts with the PB code); the exception is the plugin's, as text.</summary>
    [LoggerMessage(EventId = 8003, Level = LogLevel.Error, Message = "{Message}")]
    public static partial void EndpointFailed(ILogger logger, string message, Exception exception);

    [LoggerMessage(EventId = 8004, Level = LogLevel.Error, Message = "{Message}")]
    public static partial void NotMapped(ILogger logger, string message, Exception? exception);

    [LoggerMessage(EventId = 8005, Level = LogLevel.Warning, Message = "Plugin {PluginId}: ASP.NET Core's cache {Cache} was not found, so the plugin types it may hold were not removed; if the unload report says the plugin was not collected, that cache may be why")]
    public static partial void CacheNotFound(ILogger logger, string pluginId, string cache);

    [LoggerMessage(EventId = 8006, Level = LogLevel.Information, Message = "Dashboard: {User} asked to {Action} plugin {PluginId}: {Outcome}")]
    public static partial void DashboardAction(ILogger logger, string user, string action, string pluginId, string outcome);
}
