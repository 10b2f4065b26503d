using System.Diagnostics;
using System.Globalization;

namespace Plugboard.Trust;

/// <summary>
/// The file a deploy keeps in a plugin folder while it updates the folder's files one by one (Plugboard.Build's
/// inner-loop deploy writes it first and deletes it last). While it is there the folder may hold a mix of two builds,
/// so nothing reads the folder as a plugin: a folder is taken in whole or not at all. The folder itself is never
/// swapped, so a watching host keeps its watch.
/// </summary>
internal static class DeployMarker
{
    /// <summary>The marker's file name; the same name is written by Plugboard.Build.targets.</summary>
    public const string FileName = ".plugboard-deploying";

    /// <summary>Whether a deploy is under way (or was interrupted) in <paramref name="pluginDirectory"/>.</summary>
    public static bool IsPresent(string pluginDirectory) => File.Exists(Path.Combine(pluginDirectory, FileName));

    /// <summary>The typed problem for a folder that holds the marker: who wrote it, when, and whether that process still runs.</summary>
    public static PluginException Problem(string pluginId, string pluginDirectory)
    {
        string marker = Path.Combine(pluginDirectory, FileName);
        string writer = "";
        bool? running = null;
        try
        {
            // "pid <n>" on the first line (the build's process).
            string[] lines = File.ReadLines(marker).Take(2).ToArray();
            if (lines.Length > 0 && lines[0].StartsWith("pid ", StringComparison.Ordinal)
                && int.TryParse(lines[0].AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                running = IsRunning(pid);
                writer = $" by process {pid}{(lines.Length > 1 ? $" at {lines[1]}" : "")}{(running == false ? ", which is no longer running" : "")}";
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Gone or unreadable between the check and now: the message just names no writer.
        }
        return new PluginException(PluginErrorCode.DeployInProgress, pluginId, marker,
            $"The plugin's folder is being deployed ('{FileName}' was written{writer}), so its files may be a mix of two builds; nothing is read from it until the deploy ends.",
            running == false
                ? $"The deploy was interrupted: build the plugin again (the next deploy completes the folder), or delete '{FileName}' if the folder is complete."
                : $"Wait for the build to finish: a watching host loads or reloads the plugin by itself when '{FileName}' is deleted. If no build is running, build the plugin again or delete '{FileName}'.");
    }

    private static bool? IsRunning(int pid)
    {
        try
        {
            using Process process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        catch (PlatformNotSupportedException)
        {
            return null;
        }
    }
}
