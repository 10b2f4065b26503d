using Plugboard.Metadata;

namespace Plugboard.Trust;

/// <summary>Applies a <see cref="PluginTrustPolicy"/> to a plugin folder, before anything of it is read as code.</summary>
internal sealed class TrustCheck(PluginTrustPolicy policy)
{
    private readonly Lazy<PluginLockFile?> _lock = new(() => policy.LockFilePath is string path ? PluginLockFile.Load(path) : null);

    public IReadOnlyList<PluginException> Check(string pluginDirectory, string pluginId)
    {
        var problems = new List<PluginException>();
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(pluginDirectory));
        if (policy.AllowedDirectories.Count > 0 && !policy.AllowedDirectories.Any(a => PathContainment.IsUnder(full, a)))
        {
            problems.Add(new PluginException(PluginErrorCode.UntrustedLocation, pluginId, full,
                $"The plugin folder is not under an allowed folder ({string.Join(", ", policy.AllowedDirectories)}).",
                "Install the plugin under an allowed folder, or add its folder to the trust policy's AllowedDirectories."));
        }
        if (policy.Strict && !OperatingSystem.IsWindows())
        {
            foreach (string path in Directory.EnumerateFileSystemEntries(full, "*", SearchOption.AllDirectories).Prepend(full))
            {
                var info = new FileInfo(path);
                if (info.LinkTarget is not null && info.ResolveLinkTarget(true) is FileSystemInfo target && !PathContainment.IsUnder(target.FullName, full))
                {
                    problems.Add(Untrusted(pluginId, path, $"'{path}' is a symbolic link to '{target.FullName}', outside the plugin folder."));
                    continue;
                }
                UnixFileMode mode = File.GetUnixFileMode(path);
                if ((mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
                {
                    problems.Add(Untrusted(pluginId, path, $"'{path}' can be written by users other than its owner (mode {Convert.ToString((int)mode, 8)}), so anyone in that group could plant code in the host."));
                }
            }
        }
        try
        {
            if (_lock.Value is PluginLockFile locked)
            {
                problems.AddRange(locked.Verify(full, pluginId));
            }
        }
        catch (PluginException ex)
        {
            problems.Add(ex);
        }
        return problems;
    }

    private static PluginException Untrusted(string pluginId, string path, string cause) =>
        new(PluginErrorCode.UntrustedLocation, pluginId, path, cause,
            "Make plugin folders and files writable by their owner only (chmod go-w), and copy files instead of linking them.");
}
