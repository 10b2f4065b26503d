using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Plugboard.Isolation;

/// <summary>
/// A plugin's log message written by its worker as one line of standard error (<c>level|text</c>, line breaks
/// escaped), so that the host logs it under the plugin's id at its level, as it does for in-process plugins.
/// </summary>
internal static class PluginLogLine
{
    public static string Format(LogLevel level, string message) =>
        $"{(int)level}|{message.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", string.Empty, StringComparison.Ordinal)}";

    public static bool TryParse(ReadOnlySpan<char> line, out LogLevel level, out string message)
    {
        int bar = line.IndexOf('|');
        if (bar > 0 && int.TryParse(line[..bar], NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value is >= 0 and <= 6)
        {
            level = (LogLevel)value;
            message = Unescape(line[(bar + 1)..]);
            return true;
        }
        level = LogLevel.None;
        message = string.Empty;
        return false;
    }

    private static string Unescape(ReadOnlySpan<char> text)
    {
        var result = new System.Text.StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                i++;
                result.Append(text[i] == 'n' ? '\n' : text[i]);
            }
            else
            {
                result.Append(text[i]);
            }
        }
        return result.ToString();
    }
}
