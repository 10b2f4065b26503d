namespace Plugboard.Build.Tests;

/// <summary>
/// Built once for all tests: the repository's packages packed into a local folder (from the build the tests ran
/// after, so nothing is compiled twice), and the templates installed from the repository into a private template
/// hive, so the user's own template list is never touched.
/// </summary>
public sealed class PackagesFixture : IDisposable
{
    private static readonly string[] Packable =
    [
        "src/Plugboard.Abstractions/Plugboard.Abstractions.csproj",
        "src/Plugboard.Core/Plugboard.Core.csproj",
        "src/Plugboard/Plugboard.csproj",
        "src/Plugboard.Build/Plugboard.Build.csproj",
        "src/Plugboard.Native/Plugboard.Native.csproj",
        "src/Plugboard.Native.Aot/Plugboard.Native.Aot.csproj",
        "src/Plugboard.Hosting.Abstractions/Plugboard.Hosting.Abstractions.csproj",
        "src/Plugboard.Hosting/Plugboard.Hosting.csproj",
        "src/Plugboard.Cli/Plugboard.Cli.csproj",
        "templates/Plugboard.Templates.csproj",
    ];

    private readonly TempDirectory _dir = new("packages");
    private readonly Lazy<string> _feed;
    private readonly Lazy<string> _hive;

    public PackagesFixture()
    {
        _feed = new Lazy<string>(PackAll);
        _hive = new Lazy<string>(InstallTemplates);
    }

    /// <summary>A folder holding every package of the repository (.nupkg and .snupkg).</summary>
    public string Feed => _feed.Value;

    /// <summary>A template hive with the repository's templates installed (pass as --debug:custom-hive).</summary>
    public string Hive => _hive.Value;

    /// <summary>Runs dotnet new with the private hive.</summary>
    internal ProcessResult New(params string[] arguments) => DotNet.Run("dotnet", ["new", .. arguments, "--debug:custom-hive", Hive]);

    private string PackAll()
    {
        string feed = _dir.Path("feed");
        foreach (string project in Packable)
        {
            ProcessResult pack = DotNet.Pack(Repo.Path(project), feed, "--no-build", "-c", Repo.Configuration);
            Assert.True(pack.ExitCode == 0, pack.ToString());
        }
        return feed;
    }

    private string InstallTemplates()
    {
        string hive = _dir.Path("hive");
        // From the repository, as a contributor would: dotnet new install templates/content.
        ProcessResult install = DotNet.Run("dotnet", ["new", "install", Repo.Path("templates/content"), "--debug:custom-hive", hive]);
        Assert.True(install.ExitCode == 0, install.ToString());
        return hive;
    }

    public void Dispose() => _dir.Dispose();
}
