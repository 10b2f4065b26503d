using System.Reflection;
using System.Runtime.Loader;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Plugboard.AspNetCore.Mvc;
using Plugboard.AspNetCore.Routing;
using Plugboard.Hosting;

namespace Plugboard.AspNetCore.Internal;

/// <summary>
/// Serves one contract's plugins as endpoints and controllers: maps a version's endpoints (and makes its assembly the
/// plugin's MVC part) when it becomes current, replaces them when a reload swaps in another, removes them when the
/// version is released, and runs every request as a call of the plugin (under a lease of the version it reaches,
/// counted towards its fault threshold), in a scope of that version's own services, failures as problem details.
/// </summary>
/// <remarks>
/// A request routed to an endpoint of a version that was swapped out between routing and the call runs the same
/// route of the version its lease holds (the new one), so a reload drops no request; a request that leased the old
/// version finishes on it, and the old version's unload waits for it.
/// </remarks>
internal sealed class WebPluginBinding<TContract>(PluginHost<TContract> host, PluginEndpointDataSource source, PluginApplicationParts controllers,
    WebPluginHooks<TContract> hooks, IOptions<WebPluginOptions> options, ILogger<WebPluginBinding<TContract>> logger) : IWebPluginBinding where TContract : class
{
    private readonly Lock _mapping = new();
    private IServiceProvider? _applicationServices;

    public void Start(IServiceProvider applicationServices)
    {
        if (Interlocked.CompareExchange(ref _applicationServices, applicationServices, null) is not null)
        {
            return;
        }
        hooks.Releases.OnReleased(Released);
        host.PluginLoaded += (_, e) => Publish(e.PluginId);
        host.PluginReloaded += (_, e) => Publish(e.PluginId);
        host.PluginUnloaded += (_, e) => Unloaded(e.PluginId);
        foreach (LoadedPlugin<TContract> plugin in host.Plugins)
        {
            Publish(plugin.Id);
        }
    }

    private void Publish(string pluginId)
    {
        if (host.Plugins.FirstOrDefault(p => string.Equals(p.Id, pluginId, StringComparison.OrdinalIgnoreCase)) is LoadedPlugin<TContract> plugin
            && plugin.Instances is { Count: > 0 } instances)
        {
            Publish(plugin, instances);
        }
    }

    /// <summary>Makes the version of <paramref name="instances"/> the one the plugin's routes serve; returns its set (null: none).</summary>
    private PluginEndpoints? Publish(LoadedPlugin<TContract> plugin, IReadOnlyList<TContract> instances)
    {
        lock (_mapping)
        {
            object owner = instances[0];
            PluginEndpoints? published = source.Of(plugin.Id);
            if (published is not null && ReferenceEquals(published.Owner, owner))
            {
                return published;
            }
            PluginEndpoints? mapped = Map(plugin, owner, instances);
            if (mapped is not null)
            {
                source.Set(mapped);
            }
            else if (published is not null)
            {
                source.Remove(plugin.Id, [published.Owner]);
            }
            if (instances.OfType<IWebPlugin>().Any())
            {
                // Its controllers, when the host runs MVC: this version's part replaces the previous one's.
                controllers.Set(plugin.Id, plugin.Entry.Version?.ToNormalizedString(), owner.GetType().Assembly, options.Value.PrefixOf(plugin.Id));
            }
            return mapped;
        }
    }

    private PluginEndpoints? Map(LoadedPlugin<TContract> plugin, object owner, IReadOnlyList<TContract> instances)
    {
        List<IWebPlugin> web = [.. instances.OfType<IWebPlugin>()];
        if (web.Count == 0)
        {
            return null;
        }
        WebPluginOptions settings = options.Value;
        string prefix = settings.PrefixOf(plugin.Id);
        string? version = plugin.Entry.Version?.ToNormalizedString();
        try
        {
            var builder = new PluginRouteBuilder((IServiceProvider?)hooks.ServicesOf(owner) ?? _applicationServices!);
            RouteGroupBuilder group = builder.MapGroup(prefix);
            group.WithMetadata(new PluginEndpointMetadata(plugin.Id, version));
            foreach (Action<EndpointBuilder> convention in source.Conventions)
            {
                ((IEndpointConventionBuilder)group).Add(convention);
            }
            foreach (Action<EndpointBuilder> convention in source.FinallyConventions)
            {
                ((IEndpointConventionBuilder)group).Finally(convention);
            }
            if (settings.AuthorizationPolicy is string policy)
            {
                group.RequireAuthorization(policy);
                // Last of all conventions: the host's policy holds whatever the plugin declared ([AllowAnonymous] included).
                ((IEndpointConventionBuilder)group).Finally(endpoint =>
                {
                    foreach (object anonymous in endpoint.Metadata.Where(m => m is Microsoft.AspNetCore.Authorization.IAllowAnonymous).ToList())
                    {
                        endpoint.Metadata.Remove(anonymous);
                    }
                });
            }
            foreach (IWebPlugin entry in web)
            {
                entry.MapEndpoints(group);
            }
            var endpoints = new List<Endpoint>();
            var handlers = new Dictionary<string, RequestDelegate>(StringComparer.Ordinal);
            foreach (Endpoint endpoint in builder.DataSources.SelectMany(d => d.Endpoints))
            {
                if (endpoint is not RouteEndpoint { RequestDelegate: RequestDelegate handler } route)
                {
                    throw new InvalidOperationException($"It mapped '{endpoint.DisplayName}', which is not a route endpoint with a request delegate.");
                }
                string key = RouteKey.Of(route);
                handlers.TryAdd(key, handler);
                endpoints.Add(new RouteEndpoint(Serve(plugin, owner, handler, key), route.RoutePattern, route.Order, route.Metadata, route.DisplayName));
            }
            Log.Mapped(logger, plugin.Id, version, endpoints.Count, prefix);
            return new PluginEndpoints(plugin.Id, owner, endpoints, handlers);
        }
#pragma warning disable CA1031 // Plugin code (MapEndpoints, its route handlers' shapes): a failure leaves the plugin without endpoints, never the host down.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            PluginException error = Failure(plugin, PluginErrorCode.WebEndpointsNotMapped, $"Its endpoints under {prefix} could not be mapped:", ex,
                "Fix the plugin's IWebPlugin.MapEndpoints (or the route handler it names) and reload it; until then the plugin serves no endpoints.");
            Log.NotMapped(logger, error.Message, error.InnerException);
            return null;
        }
    }

    /// <summary>A failure of plugin code, with the plugin's exception kept as text only (no plugin type stays referenced).</summary>
    private static PluginException Failure(LoadedPlugin<TContract> plugin, PluginErrorCode code, string cause, Exception exception, string fix) =>
        new(code, plugin.Id, plugin.Entry.MainFile, $"{cause} {exception.GetType().FullName}: {exception.Message}", fix, new PluginCodeException(exception));

    private RequestDelegate Serve(LoadedPlugin<TContract> plugin, object owner, RequestDelegate handler, string key) =>
        http => ServeAsync(http, plugin, instance =>
        {
            if (ReferenceEquals(instance, owner))
            {
                return handler;
            }
            // Routed just before a reload swapped versions: the same route of the version this request holds.
            return CurrentEndpoints(plugin, instance) is PluginEndpoints current && current.Handlers.TryGetValue(key, out RequestDelegate? same) ? same : NotFound;
        });

    /// <summary>The endpoints of the version <paramref name="instance"/> belongs to, published now if they were not yet; null if it is no longer current.</summary>
    private PluginEndpoints? CurrentEndpoints(LoadedPlugin<TContract> plugin, TContract instance) =>
        plugin.Instances is { Count: > 0 } current && ReferenceEquals(current[0], instance) ? Publish(plugin, current) : null;

    private static Task NotFound(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    public bool Serves(string pluginId) => host.Plugins.Any(p => string.Equals(p.Id, pluginId, StringComparison.OrdinalIgnoreCase));

    public Task ServeControllerAsync(string pluginId, Assembly controllerAssembly, HttpContext http, RequestDelegate next) =>
        host.Plugins.FirstOrDefault(p => string.Equals(p.Id, pluginId, StringComparison.OrdinalIgnoreCase)) is LoadedPlugin<TContract> plugin
            ? ServeAsync(http, plugin, instance => instance.GetType().Assembly == controllerAssembly ? next : Stale(plugin, instance))
            : next(http);

    /// <summary>
    /// A controller request routed to the previous version's action after a reload swapped versions (MVC had not yet
    /// heard of the new version's part): the old action cannot run under the new version's lease and services, and
    /// MVC cannot route again, so MVC is told now and this request answers 503 PB0314 with Retry-After: 0.
    /// </summary>
    private RequestDelegate Stale(LoadedPlugin<TContract> plugin, TContract instance)
    {
        CurrentEndpoints(plugin, instance);
        return http =>
        {
            http.Response.Headers.RetryAfter = "0";
            return ProblemResponse.WriteAsync(http, new PluginException(PluginErrorCode.PluginBusy, plugin.Id, plugin.Entry.MainFile,
                "The request reached the controller of the version a reload has just replaced.", "Retry the request: it reaches the new version."));
        };
    }

    /// <summary>
    /// Runs one request of the plugin as a call of it (<see cref="LoadedPlugin{TContract}.InvokeAsync{TResult}"/>): under a
    /// lease of the current version, so an unload or reload waits for it, counted towards the plugin's fault threshold,
    /// in a scope of the version's own services; <paramref name="choose"/> picks what runs for that version.
    /// </summary>
    private async Task ServeAsync(HttpContext http, LoadedPlugin<TContract> plugin, Func<TContract, RequestDelegate> choose)
    {
        bool entered = false;
        try
        {
            await plugin.InvokeAsync(async instance =>
            {
                entered = true;
                RequestDelegate run = choose(instance);
                PluginRequestServices? services = hooks.ServicesOf(instance) is PluginServiceScope own ? PluginRequestServices.Install(http, own) : null;
                try
                {
                    await run(http).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
                {
                    // The client went away: nothing to answer, nothing the plugin did wrong.
                }
                finally
                {
                    if (services is not null)
                    {
                        services.Uninstall();
                        await services.Scope.DisposeAsync().ConfigureAwait(false);
                    }
                }
                return true;
            }).ConfigureAwait(false);
        }
        catch (PluginException ex) when (!entered)
        {
            // No lease: the plugin was unloaded in the meantime (PB0310), is faulted (PB0308) or busy (PB0314).
            await ProblemResponse.WriteAsync(http, ex).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Plugin code: its failure becomes a problem-details response, never a crashed server.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            PluginException error = Failure(plugin, PluginErrorCode.WebEndpointFailed, $"Its endpoint {http.Request.Method} {http.Request.Path} threw", ex,
                "Fix the plugin's endpoint and reload the plugin; the client got a 500 problem-details response with this code.");
            Log.EndpointFailed(logger, error.Message, error.InnerException!);
            if (http.Response.HasStarted)
            {
                http.Abort();
            }
            else
            {
                http.Response.Clear();
                await ProblemResponse.WriteAsync(http, error).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A version is being released (unload, or the old side of a reload): its endpoints go, the current version's come.</summary>
    private void Released(string pluginId, IReadOnlyCollection<object> instances)
    {
        try
        {
            // A reload: the new version is current by now; its set replaces the old one in one step (no moment without
            // the plugin's routes). A no-op when it already serves (a request reached it first) or when none is current.
            Publish(pluginId);
            lock (_mapping)
            {
                if (source.Remove(pluginId, instances) | controllers.Remove(pluginId, instances.Select(i => i.GetType().Assembly)))
                {
                    Log.Removed(logger, pluginId);
                }
            }
            if (instances.Select(i => AssemblyLoadContext.GetLoadContext(i.GetType().Assembly)).FirstOrDefault(c => c is { IsCollectible: true }) is AssemblyLoadContext context
                && ParameterBindingCaches.Clear(context) is null)
            {
                Log.CacheNotFound(logger, pluginId, $"{ParameterBindingCaches.CacheType}.Instance");
            }
            if (instances.Any(i => PluginApplicationParts.HasControllers(i.GetType().Assembly)))
            {
                foreach (string cache in MvcCaches.Clear(_applicationServices!))
                {
                    Log.CacheNotFound(logger, pluginId, cache);
                }
            }
        }
#pragma warning disable CA1031 // Called inside the plugin's unload: a failure here must not stop it (the log has it).
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.NotMapped(logger, $"{PluginException.FormatCode(PluginErrorCode.WebEndpointsNotMapped)} plugin '{pluginId}': its endpoints could not be updated on release: {ex.Message}", ex);
        }
    }

    private void Unloaded(string pluginId)
    {
        // Normally gone at release already; this covers a host whose entry factory was replaced after AddWebPlugins.
        if (source.Of(pluginId) is PluginEndpoints published && !host.Plugins.Any(p => string.Equals(p.Id, pluginId, StringComparison.OrdinalIgnoreCase)))
        {
            source.Remove(pluginId, [published.Owner]);
        }
    }
}
