using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Plugboard.Hosting;

namespace Plugboard.AspNetCore.Tests;

/// <summary>
/// A real ASP.NET Core application with web plugins: Kestrel on 127.0.0.1, a port the system picks, the plugins of
/// one folder, and an HTTP client for it. The plugins' /slow endpoint waits on <see cref="Gate"/> after setting <see cref="Entered"/>.
/// </summary>
internal sealed class WebHost : IAsyncDisposable
{
    private WebHost(WebApplication app, CapturingLog log)
    {
        App = app;
        Log = log;
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public CapturingLog Log { get; }

    public HttpClient Client { get; }

    public SemaphoreSlim Gate => App.Services.GetRequiredService<SemaphoreSlim>();

    public ManualResetEventSlim Entered => App.Services.GetRequiredService<ManualResetEventSlim>();

    public PluginHost<IWebPlugin> Plugins => App.Services.GetRequiredService<PluginHost<IWebPlugin>>();

    public LoadedPlugin<IWebPlugin> Plugin(string id) => Plugins.Plugins.Single(p => p.Id == id);

    public static async Task<WebHost> StartAsync(string pluginsFolder, Action<WebPluginOptions>? web = null, bool authentication = false,
        Action<IEndpointConventionBuilder>? conventions = null, bool mvc = false, Action<WebApplication>? map = null, Func<HttpContext, Task>? afterRouting = null,
        params (string Key, string Value)[] settings)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = Path.GetTempPath(), EnvironmentName = "Production" });
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Plugboard:PluginFolders:0"] = pluginsFolder });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)));
        var log = new CapturingLog();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(log);
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Services.AddSingleton(new SemaphoreSlim(0));
        builder.Services.AddSingleton(new ManualResetEventSlim());
        builder.Services.AddPlugboard<IWebPlugin>().AddWebPlugins(web);
        // A plugin that stays alive is reported with its GC root paths (how the ASP.NET Core caches were found).
        builder.Services.ConfigurePluginHost<IWebPlugin>(o => o.UnloadDiagnosis = new Plugboard.Diagnostics.HeapRootDiagnosis());
        if (authentication)
        {
            builder.Services.AddAuthentication(HeaderAuthentication.Name).AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>(HeaderAuthentication.Name, null);
            builder.Services.AddAuthorization(o =>
            {
                o.AddPolicy("plugins", p => p.RequireAuthenticatedUser());
                o.AddPolicy("admins", p => p.RequireUserName("admin"));
            });
        }
        if (mvc)
        {
            builder.Services.AddControllers();
        }
        WebApplication app = builder.Build();
        app.UseRouting();
        if (afterRouting is not null)
        {
            // Runs once routing chose the endpoint, before it runs: a test can hold a request there.
            app.Use(async (http, next) =>
            {
                await afterRouting(http);
                await next(http);
            });
        }
        // Says which plugin version served a request, from the endpoint's metadata.
        app.Use((http, next) =>
        {
            if (http.GetEndpoint()?.Metadata.GetMetadata<PluginEndpointMetadata>() is PluginEndpointMetadata plugin)
            {
                http.Response.Headers["X-Plugin"] = plugin.ToString();
            }
            return next(http);
        });
        if (authentication)
        {
            app.UseAuthentication();
            app.UseAuthorization();
        }
        app.MapGet("/host", () => "the host's own endpoint");
        if (mvc)
        {
            app.MapControllers();
        }
        IEndpointConventionBuilder plugins = app.MapPlugins();
        conventions?.Invoke(plugins);
        map?.Invoke(app);
        await app.StartAsync();
        return new WebHost(app, log);
    }

    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path, string? user = null)
    {
        using HttpResponseMessage response = await SendAsync(path, user);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<HttpResponseMessage> SendAsync(string path, string? user = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (user is not null)
        {
            request.Headers.Add(HeaderAuthentication.Header, user);
        }
        return await Client.SendAsync(request);
    }

    /// <summary>Polls until <paramref name="path"/> answers <paramref name="body"/>, at most 10 s.</summary>
    public async Task<bool> AnswersAsync(string path, string body)
    {
        for (long deadline = Environment.TickCount64 + 10_000; Environment.TickCount64 < deadline; await Task.Delay(20))
        {
            if ((await GetAsync(path)).Body == body)
            {
                return true;
            }
        }
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }

    /// <summary>Authenticates a request carrying an X-User header (or, from a browser, an X-User cookie) as that user; challenges with 401 otherwise.</summary>
    private sealed class HeaderAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string Name = "Header";
        public const string Header = "X-User";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
            Task.FromResult((Request.Headers.TryGetValue(Header, out var user) ? user.ToString() : Request.Cookies[Header]) is { Length: > 0 } name
                ? AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], Name)), Name))
                : AuthenticateResult.NoResult());
    }
}
