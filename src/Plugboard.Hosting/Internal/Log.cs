using Microsoft.Extensions.Logging;

namespace Plugboard.Hosting.Internal;

/// <summary>
/// Every message the generic-host integration writes, with stable event ids (6xxx). What happens to each plugin is
/// logged by the Plugboard host itself (its 1xxx–5xxx events); this only adds what the integration alone knows.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Plugins in {Folder}: {Loaded} loaded, {Failed} failed, {Skipped} skipped")]
    public static partial void FolderLoaded(ILogger logger, string folder, int loaded, int failed, int skipped);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Error, Message = "{Code} plugins in {Folder} not loaded: {Error}")]
    public static partial void FolderFailed(ILogger logger, string code, string folder, string error);
}
