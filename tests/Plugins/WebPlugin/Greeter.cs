using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Plugboard;
using Plugboard.AspNetCore;
using Plugboard.Hosting;

namespace WebPlugin;

/// <summary>The plugin's own service, one per request: it counts the uses within one request and says when it is disposed.</summary>
public sealed class RequestCounter : IDisposable
{
    private static int s_disposed;

    public int Uses { get; private set; }

    public static int Disposed => Volatile.Read(ref s_disposed);

    public int Use() => ++Uses;

    public void Dispose() => Interlocked.Increment(ref s_disposed);
}

/// <summary>Registers the plugin's own services (a container private to this plugin version).</summary>
public sealed class Registration : IPluginServiceRegistration
{
    public void ConfigureServices(IServiceCollection services, IPluginContext context) => services.AddScoped<RequestCounter>();
}

/// <summary>A record of the plugin's own, returned as JSON: a plugin type the host's serializer meets.</summary>
public sealed record Greeting(string Text, string Version);

/// <summary>Created through the host's dependency injection, with its context (settings by plugin id).</summary>
public sealed class Greeter(IPluginContext context) : IWebPlugin
{
    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        if (context.Settings.TryGetValue("FailMapping", out string? fail) && fail == "true")
        {
            throw new InvalidOperationException("the plugin was told to fail while mapping");
        }
        endpoints.MapGet("/hello", () => $"hello from v{Build.Version}");
        endpoints.MapGet("/greeting/{name}", (string name) => new Greeting($"hello {name}", Build.Version));
        endpoints.MapGet("/boom", string () => throw new InvalidOperationException("the plugin's endpoint failed on purpose"));
        endpoints.MapGet("/counter", (RequestCounter first, HttpContext http) =>
        {
            var second = http.RequestServices.GetRequiredService<RequestCounter>();
            first.Use();
            return $"{second.Use()} uses, same instance: {ReferenceEquals(first, second)}, disposed so far: {RequestCounter.Disposed}";
        });
        endpoints.MapGet("/slow", async (ManualResetEventSlim entered, SemaphoreSlim gate, HttpContext http) =>
        {
            // Says it is in the plugin, then waits until the host opens the gate (host services): a request in flight across a reload.
            entered.Set();
            await gate.WaitAsync(http.RequestAborted);
            return $"slow from v{Build.Version}";
        });
        endpoints.MapGet("/open", () => "anonymous?").AllowAnonymous();
#if V2
        endpoints.MapGet("/new-in-v2", () => "only in v2");
#endif
    }
}
