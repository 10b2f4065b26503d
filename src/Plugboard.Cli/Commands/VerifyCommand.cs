using System.CommandLine;
using Plugboard.Cli.Output;
using Plugboard.Tools;
using Plugboard.Trust;

namespace Plugboard.Cli.Commands;

/// <summary>
/// <c>plugboard verify &lt;dir&gt; --host-api &lt;assembly&gt; [--locked] [--strict] [--allow &lt;dir&gt;]</c>: the compatibility
/// check of every plugin, with <c>--locked</c> the lock file check, and with <c>--strict</c>/<c>--allow</c> the trust
/// policy's location checks, as an exit code for CI.
/// </summary>
internal sealed class VerifyCommand(CommonOptions common) : ICliCommand
{
    private readonly Argument<DirectoryInfo> _directory = new("dir") { Description = "The folder holding one sub-folder per plugin." };

    private readonly Option<bool> _locked = new("--locked") { Description = "Also check every file against the lock file (changed, added or removed files fail with PB0601)." };

    private readonly Option<DirectoryInfo[]> _allow = new("--allow") { Description = "Plugin folders must lie under this folder (repeat for several); others fail with PB0602." };

    private readonly Option<bool> _strict = new("--strict") { Description = "Refuse plugin folders and files writable by group or others, and symbolic links leaving a plugin folder (PB0602)." };

    private readonly Option<FileInfo?> _lockFile = new("--lock-file") { Description = $"The lock file to check against (default: <dir>/{PluginLockFile.DefaultFileName}). Implies --locked." };

    public Command Build()
    {
        var command = new Command("verify", "Check every plugin against the host API (and with --locked, against the lock file); exit code 0 only when all pass.")
        {
            _directory, common.HostApi, common.Contract, common.Shared, common.Framework, common.DependencyInjection, _locked, _lockFile, _allow, _strict,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(common.HostApi) is not { Length: > 0 } && !result.GetValue(_locked) && result.GetValue(_lockFile) is null
                && !result.GetValue(_strict) && result.GetValue(_allow) is not { Length: > 0 })
            {
                result.AddError("verify needs --host-api <assembly> (compatibility), --locked (integrity), --strict or --allow (trust), or several of them.");
            }
        });
        return command;
    }

    public Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ParseResult parse = context.ParseResult;
        string directory = HostApiSelection.RequireDirectory(parse.GetRequiredValue(_directory), "plugins folder");
        var trust = new PluginTrustPolicy { Strict = parse.GetValue(_strict) };
        foreach (DirectoryInfo allowed in parse.GetValue(_allow) ?? [])
        {
            trust.AllowedDirectories.Add(allowed.FullName);
        }
        (HostApiFiles files, bool hostApiChecked) = HostApiSelection.Create(parse, common, trust);

        context.Progress($"Checking plugins in {directory} ...");
        PluginCatalog catalog = files.Discover(directory);

        LockCheckModel? lockCheck = null;
        FileInfo? lockFile = parse.GetValue(_lockFile);
        if (parse.GetValue(_locked) || lockFile is not null)
        {
            string path = lockFile?.FullName ?? Path.Combine(directory, PluginLockFile.DefaultFileName);
            context.Progress($"Hashing {directory} against {path} ...");
            IReadOnlyList<PluginException> differences = LockCheck(PluginLockFile.Load(path), directory, catalog);
            lockCheck = new LockCheckModel(path, differences.Count == 0, [.. differences.Select(ProblemModel.From)]);
        }
        List<PluginModel> plugins = [.. catalog.Entries.Select(HostApiLayouts.Read(parse.GetValue(common.HostApi)).Check).Select(e => PluginModel.From(e, hostApiChecked))];
        bool ok = plugins.All(p => p.Compatible != false) && (lockCheck?.Ok ?? true);
        var model = new VerifyModel(catalog.Directory, ok, plugins, SummaryModel.Of(plugins), lockCheck);
        if (context.Json)
        {
            JsonOutput.Write(context.Out, model);
        }
        else
        {
            CatalogView.Render(context.Human, model);
        }
        return Task.FromResult(ok ? ExitCodes.Success : ExitCodes.PluginProblems);
    }

    /// <summary>Every plugin folder against the lock, and every locked plugin folder that is gone.</summary>
    private static List<PluginException> LockCheck(PluginLockFile lockFile, string directory, PluginCatalog catalog)
    {
        var differences = new List<PluginException>();
        var folders = Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal).ToList();
        foreach (string folder in folders)
        {
            string id = catalog.Entries.FirstOrDefault(e => string.Equals(Path.TrimEndingDirectorySeparator(e.Directory), folder, StringComparison.Ordinal))?.Id ?? Path.GetFileName(folder);
            differences.AddRange(lockFile.Verify(folder, id));
        }
        foreach (string missing in lockFile.Plugins.Keys.Where(k => !folders.Any(f => Path.GetFileName(f) == k)).Order(StringComparer.Ordinal))
        {
            differences.Add(new PluginException(PluginErrorCode.IntegrityCheckFailed, missing, Path.Combine(directory, missing),
                $"The plugin folder '{missing}' is in the lock file but missing.", "If it was removed on purpose, update the lock with 'plugboard lock'; otherwise restore the plugin."));
        }
        return differences;
    }
}
