using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Plugboard.AspNetCore;
using Plugboard.Hosting;

namespace Plugboard.Benchmarks;

/// <summary>
/// The web benchmarks' server: an ASP.NET Core application on Kestrel, 127.0.0.1 and a port the system picks, with
/// the host's own <c>/host/hello</c> and the plugin's <c>/plugins/WebBenchPlugin/hello</c>, the same handler (a
/// static lambda returning a constant string). The plugin runs from a copy of its build, so a version can be written
/// over it; nothing is logged (a console logger would be most of a request's time).
/// </summary>
internal sealed class WebBenchHost : IAsyncDisposable
{
    public const string HostPath = "/host/hello";
    public const string PluginPath = "/plugins/WebBenchPlugin/hello";

    private readonly WebApplication _app;
    private readonly string _folder;

    private WebBenchHost(WebApplication app, string folder)
    {
        _app = app;
        _folder = folder;
        Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
    }

    public Uri Address { get; }

    public LoadedPlugin<IWebPlugin> Plugin => _app.Services.GetRequiredService<PluginHost<IWebPlugin>>().Plugins.Single();

    public static async Task<WebBenchHost> StartAsync()
    {
        string folder = Path.Combine(Path.GetTempPath(), "plugboard-web-bench", Guid.NewGuid().ToString("N"));
        CopyVersion(folder, "WebBenchPlugin");
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = Path.GetTempPath(), EnvironmentName = "Production" });
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddPlugboard<IWebPlugin>(o => o.PluginFolders.Add(folder)).AddWebPlugins();
        WebApplication app = builder.Build();
        app.MapGet(HostPath, static () => "v1");
        app.MapPlugins();
        await app.StartAsync().ConfigureAwait(false);
        var host = new WebBenchHost(app, folder);
        if (host.Plugin.Entry.Version?.ToString() != "1.0.0")
        {
            throw new InvalidOperationException($"the web benchmark plugin did not load as version 1: {host.Plugin}");
        }
        return host;
    }

    /// <summary>Writes a built version (WebBenchPlugin or WebBenchPluginV2) over the plugin's folder, as a build does.</summary>
    public void Overwrite(string project) => CopyVersion(_folder, project);

    /// <summary>A client for one simulated user: one connection pool, reused for every request it sends.</summary>
    public HttpClient Client() => new(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan }) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder: left for the system when a file is still open.
        }
    }

    private static void CopyVersion(string folder, string project)
    {
        string built = Path.Combine(PluginFarm.WebPluginsDirectory, project);
        if (!File.Exists(Path.Combine(built, "WebBenchPlugin.dll")))
        {
            throw new InvalidOperationException($"the web benchmark plugin {project} was not built into {built}");
        }
        string target = Path.Combine(folder, "WebBenchPlugin");
        Directory.CreateDirectory(target);
        // The main assembly last, as a build writes it.
        foreach (string file in Directory.GetFiles(built).OrderBy(f => Path.GetFileName(f) == "WebBenchPlugin.dll"))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
        }
    }
}
