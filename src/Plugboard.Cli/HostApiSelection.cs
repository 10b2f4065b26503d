using Plugboard.Tools;

namespace Plugboard.Cli;

/// <summary>The host API named on the command line, as files: the checker of list, inspect and verify.</summary>
internal static class HostApiSelection
{
    /// <summary>A checker against the given API files, or one that checks nothing when none were given.</summary>
    public static (HostApiFiles Files, bool Checked) Create(System.CommandLine.ParseResult parse, CommonOptions common, Trust.PluginTrustPolicy? trust = null)
    {
        (HostApiFiles files, bool hostApiChecked) = Create(parse.GetValue(common.HostApi), parse.GetValue(common.Contract), parse.GetValue(common.Shared), trust);
        files.AcceptAnyPublicConstructor = parse.GetValue(common.DependencyInjection);
        if (parse.GetValue(common.Framework) is { Length: > 0 } frameworks)
        {
            files.SharedFrameworks = [.. files.SharedFrameworks, .. frameworks];
        }
        return (files, hostApiChecked);
    }

    private static (HostApiFiles Files, bool Checked) Create(FileInfo[]? hostApi, string? contract, FileInfo[]? shared, Trust.PluginTrustPolicy? trust)
    {
        hostApi ??= [];
        shared ??= [];
        foreach (FileInfo file in hostApi.Concat(shared))
        {
            if (!file.Exists)
            {
                throw new CliInputException($"The assembly '{file.FullName}' does not exist.", "Pass the host API assembly the plugins compile against, e.g. bin/Release/net10.0/MyApp.Api.dll.");
            }
        }
        if (hostApi.Length == 0 && contract is not null)
        {
            throw new CliInputException("--contract needs --host-api: the contract type is looked up in the host API assemblies.", "Add --host-api <assembly>.");
        }
        try
        {
            return (new HostApiFiles(hostApi.Select(f => f.FullName), contract, shared.Select(f => f.FullName), trust), hostApi.Length > 0);
        }
        catch (ArgumentException ex)
        {
            throw new CliInputException(ex.Message, "Pass the full name of a public type (namespace and name) defined in one of the --host-api assemblies.");
        }
        catch (BadImageFormatException ex)
        {
            throw new CliInputException($"A host API file is not a .NET assembly: {ex.Message}", "Pass the managed assembly (.dll) of the host API.");
        }
    }

    public static string RequireDirectory(DirectoryInfo directory, string what)
    {
        if (!directory.Exists)
        {
            throw new CliInputException($"The {what} '{directory.FullName}' does not exist.", what == "plugin folder"
                ? "Pass the folder of one plugin (its build output)."
                : "Pass the folder that holds one sub-folder per plugin.");
        }
        return directory.FullName;
    }
}
