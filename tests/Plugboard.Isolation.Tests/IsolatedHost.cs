using Microsoft.Extensions.Logging;

namespace Plugboard.Isolation.Tests;

/// <summary>A host of <see cref="IProbe"/> over a fresh copy of the built test plugins, with the given ones out of process, logging into memory.</summary>
internal sealed class IsolatedHost : IAsyncDisposable
{
    private readonly PluginFolder _folder;

    public IsolatedHost(string[] outOfProcess, string[] inProcess, Action<PluginHostOptions>? configure = null)
    {
        _folder = new PluginFolder([.. outOfProcess, .. inProcess]);
        Options = new PluginHostOptions { LoggerFactory = Log, Settings = id => new Dictionary<string, string> { ["colour"] = $"blue for {id}" } };
        foreach (string id in outOfProcess)
        {
            Options.Isolation.OutOfProcessPlugins.Add(id);
        }
        configure?.Invoke(Options);
        Host = new PluginHost<IProbe>(Options);
    }

    public CapturingLog Log { get; } = new();

    public PluginHostOptions Options { get; }

    public PluginHost<IProbe> Host { get; }

    public string Root => _folder.Root;

    public async Task<PluginLoadResult<IProbe>> LoadAsync()
    {
        PluginLoadResult<IProbe> result = await Host.LoadAllAsync(Host.Discover(_folder.Root));
        Assert.Empty(result.Failed.Select(f => f.Error.Message));
        return result;
    }

    public LoadedPlugin<IProbe> this[string id] => Host.Plugins.Single(p => p.Id == id);

    public IReadOnlyList<CapturingLog.Written> Logged(int eventId) => [.. Log.Entries.Where(e => e.EventId.Id == eventId)];

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        _folder.Dispose();
    }
}
