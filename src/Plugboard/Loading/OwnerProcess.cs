namespace Plugboard.Loading;

/// <summary>
/// The temporary files and folders Plugboard writes (private copies, lock files being written) carry the writing
/// process's id in their name, so that a later process can tell the leftovers of one that died from the work of
/// one still running.
/// </summary>
internal static class OwnerProcess
{
    /// <summary>The id this process writes into the names.</summary>
    public static int Current => Environment.ProcessId;

    /// <summary>True when the names' owner is gone: not this process, and no process with that id runs.</summary>
    public static bool IsGone(int processId)
    {
        if (processId == Environment.ProcessId)
        {
            return false;
        }
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            return process.HasExited;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return true;
        }
    }

    /// <summary>The owner id at the start of <paramref name="rest"/> (what follows the name's prefix), up to <paramref name="separator"/>.</summary>
    public static int? Parse(string rest, char separator)
    {
        int end = rest.IndexOf(separator, StringComparison.Ordinal);
        return end > 0 && int.TryParse(rest.AsSpan(0, end), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int id) ? id : null;
    }
}
