using Microsoft.Extensions.Logging;

namespace Plugboard.Internal;

/// <summary>
/// Every message the Plugboard host writes, as source-generated methods with stable event ids (1xxx: discovery and
/// loading, 2xxx: reload, 3xxx: unload and abandonment, 4xxx: calls, 5xxx: watching, 7xxx: out-of-process workers, 9xxx: the host's own handlers).
/// Each problem is logged once, where it is decided: an incompatible plugin when it is discovered, a load failure
/// when loading ends, a fault when the plugin crosses the threshold.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Plugin {PluginId} cannot be loaded: {Error}")]
    public static partial void Incompatible(ILogger logger, string pluginId, string error);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Loaded plugin {PluginId} {Version} with {Count} entry instance(s)")]
    public static partial void Loaded(ILogger logger, string pluginId, string? version, int count);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Error, Message = "Plugin {PluginId} failed to load: {Error}")]
    public static partial void LoadFailed(ILogger logger, string pluginId, string error);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Error, Message = "New plugin {PluginId} failed to load: {Error}")]
    public static partial void NewPluginFailed(ILogger logger, string pluginId, string error);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Reloaded plugin {PluginId} {Old} -> {New} in {Elapsed} ms; old version collected: {Collected}")]
    public static partial void Reloaded(ILogger logger, string pluginId, string? old, string? @new, long elapsed, bool collected);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Old version of plugin {PluginId} was not collected: {Report}")]
    public static partial void OldVersionNotCollected(ILogger logger, string pluginId, UnloadReport report);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "Reloading plugin {PluginId} failed; version {Version} keeps serving: {Error}")]
    public static partial void ReloadFailed(ILogger logger, string pluginId, string? version, string error);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Unloaded plugin {PluginId}: {Report}")]
    public static partial void Unloaded(ILogger logger, string pluginId, UnloadReport report);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Unloaded plugin {PluginId} but its context was not collected: {Report}")]
    public static partial void UnloadedNotCollected(ILogger logger, string pluginId, UnloadReport report);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Plugin {PluginId} is abandoned: its {Hook} hook {Outcome} and may still be running; its context stays in memory until it ends ({Count} abandoned plugin context(s))")]
    public static partial void Abandoned(ILogger logger, string pluginId, string hook, string outcome, int count);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "Plugin {PluginId} is faulted: {Error}")]
    public static partial void Faulted(ILogger logger, string pluginId, string error);

    // The plugin's own text is an argument, never the template: braces in it are printed as they are.
    [LoggerMessage(EventId = 4002, Message = "{PluginMessage}")]
    public static partial void PluginWrote(ILogger logger, LogLevel level, Exception? exception, string pluginMessage);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Watching {Folder} lost events; changes may need a manual reload")]
    public static partial void WatchLostEvents(ILogger logger, Exception? exception, string folder);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "The folder of plugin {PluginId} was deleted; it keeps running until it is unloaded or the folder comes back")]
    public static partial void FolderDeleted(ILogger logger, string pluginId);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Error, Message = "Reacting to a change in {Folder} failed")]
    public static partial void WatchReactionFailed(ILogger logger, Exception exception, string folder);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Information, Message = "The plugin folder {Folder} is being deployed ({Marker} is present); it is read when the deploy ends")]
    public static partial void DeployInProgress(ILogger logger, string folder, string marker);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Error, Message = "Worker of plugin {PluginId} ended: {What}. Its last lines on standard error:\n{StderrTail}")]
    public static partial void WorkerEnded(ILogger logger, string pluginId, string what, string stderrTail);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Restarted the worker of plugin {PluginId} (pid {ProcessId}) after crash {Crashes}: waited {Delay} ms, started in {Elapsed} ms")]
    public static partial void WorkerRestarted(ILogger logger, string pluginId, int processId, int crashes, double delay, long elapsed);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Error, Message = "The worker of plugin {PluginId} crashed {Crashes} times within {Window} min; it is not restarted until the plugin is reloaded")]
    public static partial void WorkerCrashLimitReached(ILogger logger, string pluginId, int crashes, double window);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Warning, Message = "The call to {Method} of plugin {PluginId} passed its deadline of {Seconds} s; killing its worker (pid {ProcessId})")]
    public static partial void WorkerCallTimedOut(ILogger logger, string pluginId, string method, double seconds, int processId);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Debug, Message = "Worker of plugin {PluginId}: {Line}")]
    public static partial void WorkerWrote(ILogger logger, string pluginId, string line);

    [LoggerMessage(EventId = 7006, Level = LogLevel.Error, Message = "Restarting the worker of plugin {PluginId} failed: {Error}")]
    public static partial void WorkerRestartFailed(ILogger logger, string pluginId, string error);

    [LoggerMessage(EventId = 7007, Level = LogLevel.Debug, Message = "Took the state of plugin {PluginId} in its worker (pid {ProcessId}): {Bytes} bytes of JSON")]
    public static partial void WorkerStateTaken(ILogger logger, string pluginId, int processId, int bytes);

    [LoggerMessage(EventId = 7008, Level = LogLevel.Warning, Message = "{Error}")]
    public static partial void WorkerStateNotHandedOver(ILogger logger, string error);

    [LoggerMessage(EventId = 7009, Level = LogLevel.Information, Message = "Handed the state of plugin {PluginId}, taken {Age} ms before the restart, to the restarted worker (pid {ProcessId})")]
    public static partial void WorkerStateHandedOver(ILogger logger, string pluginId, long age, int processId);

    [LoggerMessage(EventId = 9001, Level = LogLevel.Error, Message = "A handler of a Plugboard event for plugin {PluginId} threw")]
    public static partial void HandlerThrew(ILogger logger, Exception exception, string pluginId);
}
