using System.Globalization;

namespace Plugboard;

/// <summary>
/// The one exception Plugboard reports failures with. It names the plugin, the file, what went wrong and
/// what to do about it, and carries a stable <see cref="PluginErrorCode"/>.
/// </summary>
public class PluginException : Exception
{
    /// <summary>Creates the error.</summary>
    /// <param name="code">What kind of failure this is.</param>
    /// <param name="pluginId">The plugin concerned (its folder name when its id is not known yet).</param>
    /// <param name="path">The file or folder concerned, if any.</param>
    /// <param name="cause">What went wrong, in one or more full sentences.</param>
    /// <param name="fix">What the user should do about it.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public PluginException(PluginErrorCode code, string pluginId, string? path, string cause, string fix, Exception? innerException = null)
        : base(Format(code, pluginId, path, cause, fix), innerException)
    {
        Code = code;
        PluginId = pluginId;
        PluginPath = path;
        Cause = cause;
        Fix = fix;
    }

    /// <summary>What kind of failure this is.</summary>
    public PluginErrorCode Code { get; }

    /// <summary>The code as printed and documented, e.g. <c>PB0201</c>.</summary>
    public string CodeText => FormatCode(Code);

    /// <summary>The plugin concerned.</summary>
    public string PluginId { get; }

    /// <summary>The file or folder concerned, if any.</summary>
    public string? PluginPath { get; }

    /// <summary>What went wrong.</summary>
    public string Cause { get; }

    /// <summary>What to do about it.</summary>
    public string Fix { get; }

    /// <summary>Formats a code as documented: <c>PB</c> and four digits.</summary>
    /// <param name="code">The code.</param>
    /// <returns>For example <c>PB0201</c>.</returns>
    public static string FormatCode(PluginErrorCode code) => "PB" + ((int)code).ToString("D4", CultureInfo.InvariantCulture);

    private static string Format(PluginErrorCode code, string pluginId, string? path, string cause, string fix)
    {
        string where = path is null ? string.Empty : $" ({path})";
        return $"{FormatCode(code)} plugin '{pluginId}'{where}: {cause} Fix: {fix}";
    }
}
