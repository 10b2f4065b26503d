namespace Plugboard.Build.Tests;

/// <summary>
/// Built once for all tests: every package packed into a local folder by the documented command, eng/pack.sh (from
/// the build the tests ran after, so nothing is compiled twice), and the templates installed from the packed
/// Plugboard.Templates package into a private template hive, so the user's own template list is never touched.
/// </summary>
public sealed class PackagesFixture : IDisposable
{
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

    /// <summary>A template hive with the packed templates installed (pass as --debug:custom-hive).</summary>
    public string Hive => _hive.Value;

    /// <summary>Runs dotnet new with the private hive.</summary>
    internal ProcessResult New(params string[] arguments) => DotNet.Run("dotnet", ["new", .. arguments, "--debug:custom-hive", Hive]);

    /// <summary>Writes a NuGet.config into <paramref name="dir"/> that restores from the packed feed (and <paramref name="extraFeeds"/>) into a private cache.</summary>
    internal void WriteNuGetConfig(TempDirectory dir, params string[] extraFeeds)
    {
        // Like a user's machine: the local feed plus the configured sources, and a private package cache so the
        // packages under test never mix with (or come from) the user's cache.
        string sources = string.Join("\n", extraFeeds.Select((f, i) => $"""    <add key="extra{i}" value="{f}" />"""));
        dir.Write("NuGet.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config><add key="globalPackagesFolder" value="{dir.Path("packages")}" /></config>
              <packageSources>
                <add key="plugboard-local" value="{Feed}" />
            {sources}
              </packageSources>
            </configuration>
            """);
    }

    private string PackAll()
    {
        string feed = _dir.Path("feed");
        ProcessResult pack = DotNet.Run("bash", [Repo.Path("eng/pack.sh"), feed, "--no-build", "-c", Repo.Configuration, .. DotNet.Flags], timeout: TimeSpan.FromMinutes(10));
        Assert.True(pack.ExitCode == 0, pack.ToString());
        Assert.Contains($"packed 14 packages into {feed}", pack.Output, StringComparison.Ordinal);
        return feed;
    }

    private string InstallTemplates()
    {
        string hive = _dir.Path("hive");
        // As the docs say: dotnet new install <feed>/Plugboard.Templates.<version>.nupkg.
        ProcessResult install = DotNet.Run("dotnet", ["new", "install", Path.Combine(Feed, $"Plugboard.Templates.{Repo.Version}.nupkg"), "--debug:custom-hive", hive]);
        Assert.True(install.ExitCode == 0, install.ToString());
        return hive;
    }

    public void Dispose() => _dir.Dispose();
}
