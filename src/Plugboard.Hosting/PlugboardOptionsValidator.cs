using Microsoft.Extensions.Options;

namespace Plugboard.Hosting;

/// <summary>Refuses options a host cannot start with, naming the setting and what to write instead.</summary>
internal sealed class PlugboardOptionsValidator : IValidateOptions<PlugboardOptions>
{
    public ValidateOptionsResult Validate(string? name, PlugboardOptions options)
    {
        var failures = new List<string>();
        if (options.PluginFolders.Count == 0)
        {
            failures.Add("Plugboard:PluginFolders is empty; name at least one folder holding one sub-folder per plugin.");
        }
        if (options.PluginFolders.Any(string.IsNullOrWhiteSpace))
        {
            failures.Add("Plugboard:PluginFolders has an empty entry.");
        }
        if (options.ReloadDebounce < TimeSpan.Zero || options.ReloadDebounce > TimeSpan.FromMinutes(1))
        {
            failures.Add($"Plugboard:ReloadDebounce is {options.ReloadDebounce}; use a value from 00:00:00 to 00:01:00.");
        }
        Positive(failures, nameof(options.InitializationTimeout), options.InitializationTimeout);
        Positive(failures, nameof(options.StopTimeout), options.StopTimeout);
        Positive(failures, nameof(options.DrainTimeout), options.DrainTimeout);
        if (options.UnloadCollectionAttempts is < 1 or > 1000)
        {
            failures.Add($"Plugboard:UnloadCollectionAttempts is {options.UnloadCollectionAttempts}; use 1 to 1000.");
        }
        if (options.FaultThreshold < 0)
        {
            failures.Add($"Plugboard:FaultThreshold is {options.FaultThreshold}; use 0 (off) or more.");
        }
        if (options.LockFile is { } lockFile && string.IsNullOrWhiteSpace(lockFile))
        {
            failures.Add("Plugboard:LockFile is blank; remove it to skip the integrity check or name the lock file.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(List<string> failures, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
        {
            failures.Add($"Plugboard:{name} is {value}; it must be positive.");
        }
    }
}
