using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace Plugboard.Hosting;

/// <summary>
/// One plugin version's own services: what its <see cref="IPluginServiceRegistration"/> classes registered, in a
/// container of its own that falls back to the host's services. Disposed when that version unloads.
/// </summary>
internal sealed class PluginServiceScope : IServiceProvider, IServiceProviderIsService, IAsyncDisposable
{
    private readonly IServiceProvider _host;
    private readonly IPluginContext _context;
    private readonly IServiceProvider? _own;
    private readonly IAsyncDisposable? _owned;
    private readonly IServiceProviderIsService? _ownIsService;
    private IServiceProviderIsService? _hostIsService;
    private bool _hostIsServiceRead;

    private PluginServiceScope(IServiceProvider host, IPluginContext context, IServiceProvider? own, IAsyncDisposable? owned)
    {
        _host = host;
        _context = context;
        _own = own;
        _owned = owned;
        _ownIsService = own?.GetService<IServiceProviderIsService>();
    }

    /// <summary>Runs every registration class of the plugin's assembly and builds its container (none when it has no registration).</summary>
    public static PluginServiceScope Create(Assembly pluginAssembly, IServiceProvider host, IPluginContext context)
    {
        List<Type> registrations = [.. pluginAssembly.GetExportedTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IPluginServiceRegistration).IsAssignableFrom(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)];
        if (registrations.Count == 0)
        {
            return new PluginServiceScope(host, context, null, null);
        }
        var services = new ServiceCollection();
        services.AddSingleton(context);
        foreach (Type type in registrations)
        {
            var registration = (IPluginServiceRegistration)Activator.CreateInstance(type)!;
            registration.ConfigureServices(services, context);
        }
        ServiceProvider own = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return new PluginServiceScope(host, context, own, own);
    }

    /// <summary>
    /// The services of one request (Plugboard.AspNetCore): the plugin's own services in a scope of their own, then
    /// the request's services; disposing it ends the plugin's scope, never the request's. The host's side is asked
    /// nothing until a service is looked up, so that <paramref name="requestServices"/> may create the request's
    /// scope only when the plugin needs it, as ASP.NET Core does for the host's own endpoints.
    /// </summary>
    internal PluginServiceScope ForRequest(IServiceProvider requestServices)
    {
        AsyncServiceScope? scope = _own?.CreateAsyncScope();
        return new PluginServiceScope(requestServices, _context, scope?.ServiceProvider, scope);
    }

    /// <summary>True when the plugin registered services of its own.</summary>
    public bool HasOwnServices => _own is not null;

    public object? GetService(Type serviceType)
    {
        if (serviceType == typeof(IPluginContext))
        {
            return _context;
        }
        if (serviceType == typeof(IServiceProvider))
        {
            return this;
        }
        if (serviceType == typeof(IServiceProviderIsService))
        {
            return this;
        }
        return (_own is not null && _ownIsService!.IsService(serviceType) ? _own.GetService(serviceType) : null) ?? _host.GetService(serviceType);
    }

    public bool IsService(Type serviceType) =>
        serviceType == typeof(IPluginContext) || serviceType == typeof(IServiceProvider)
        || (_ownIsService?.IsService(serviceType) ?? false) || (HostIsService?.IsService(serviceType) ?? false);

    // Read on first use: a request's host side is created on demand (ForRequest), and asking it here would create it.
    private IServiceProviderIsService? HostIsService
    {
        get
        {
            if (!_hostIsServiceRead)
            {
                _hostIsService = _host.GetService<IServiceProviderIsService>();
                _hostIsServiceRead = true;
            }
            return _hostIsService;
        }
    }

    public ValueTask DisposeAsync() => _owned?.DisposeAsync() ?? ValueTask.CompletedTask;
}
