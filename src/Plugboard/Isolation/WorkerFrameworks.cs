using System.Text.Json.Nodes;

namespace Plugboard.Isolation;

/// <summary>
/// The shared frameworks a worker runs on: the host's own, at the very versions the host runs. A web host gets
/// assemblies such as Microsoft.Extensions.Logging.Abstractions from the ASP.NET Core framework, not from its folder,
/// so a worker on Microsoft.NETCore.App alone could not load Plugboard itself. The worker is given a runtimeconfig
/// naming every framework of the host, written into its private folder.
/// </summary>
internal static class WorkerFrameworks
{
    private static readonly Lazy<IReadOnlyList<(string Name, string Version)>> Host = new(Read);

    // The same for every worker of this host: made once, written into each worker's own folder.
    private static readonly Lazy<string> Config = new(() => RuntimeConfig(Path.ChangeExtension(WorkerProcess.WorkerPath, ".runtimeconfig.json")));

    /// <summary>The host's frameworks (name, version), read from the deps files the host was started with; empty when it names none (a self-contained host).</summary>
    public static IReadOnlyList<(string Name, string Version)> OfHost => Host.Value;

    /// <summary>
    /// The arguments of <c>dotnet exec</c> that run the worker on the host's frameworks: <c>--runtimeconfig</c> with a
    /// file written into <paramref name="privateFolder"/>, or, for a host whose frameworks are unknown, the version of
    /// the runtime it runs (<c>--fx-version</c>).
    /// </summary>
    public static IEnumerable<string> ExecArguments(string privateFolder, string runtimeFolder)
    {
        if (OfHost.Count == 0)
        {
            return ["--fx-version", Path.GetFileName(runtimeFolder.TrimEnd(Path.DirectorySeparatorChar))];
        }
        string configPath = Path.Combine(privateFolder, "worker.runtimeconfig.json");
        File.WriteAllText(configPath, Config.Value);
        return ["--runtimeconfig", configPath];
    }

    /// <summary>The worker's own runtimeconfig (its settings kept) with the host's frameworks instead of its own.</summary>
    private static string RuntimeConfig(string workerConfigPath)
    {
        JsonObject root = (File.Exists(workerConfigPath) ? JsonNode.Parse(File.ReadAllText(workerConfigPath)) as JsonObject : null) ?? [];
        if (root["runtimeOptions"] is not JsonObject options)
        {
            options = [];
            root["runtimeOptions"] = options;
        }
        options.Remove("framework");
        options.Remove("frameworks");
        options.Remove("includedFrameworks");
        options["rollForward"] = "Disable"; // the versions the host runs, not newer ones
        options["frameworks"] = new JsonArray([.. OfHost.Select(f => (JsonNode)new JsonObject { ["name"] = f.Name, ["version"] = f.Version })]);
        return root.ToJsonString();
    }

    /// <summary>
    /// Each framework the host runs contributes its deps file, <c>&lt;dotnet&gt;/shared/&lt;name&gt;/&lt;version&gt;/&lt;name&gt;.deps.json</c>,
    /// to the list the host gives the runtime (<c>APP_CONTEXT_DEPS_FILES</c>).
    /// </summary>
    private static IReadOnlyList<(string Name, string Version)> Read()
    {
        if (AppContext.GetData("APP_CONTEXT_DEPS_FILES") is not string files)
        {
            return [];
        }
        var frameworks = new List<(string Name, string Version)>();
        // The host separates them with ';' on every OS (not the path separator).
        foreach (string file in files.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string? versionFolder = Path.GetDirectoryName(file);
            string? nameFolder = versionFolder is null ? null : Path.GetDirectoryName(versionFolder);
            string? shared = nameFolder is null ? null : Path.GetDirectoryName(nameFolder);
            if (versionFolder is null || nameFolder is null || shared is null || Path.GetFileName(shared) != "shared")
            {
                continue; // the host's own deps file
            }
            string name = Path.GetFileName(nameFolder);
            if (string.Equals(Path.GetFileName(file), name + ".deps.json", StringComparison.OrdinalIgnoreCase))
            {
                frameworks.Add((name, Path.GetFileName(versionFolder)));
            }
        }
        return frameworks;
    }
}
