namespace Plugboard.Tests;

/// <summary>The smallest service provider: a map from type to instance.</summary>
internal sealed class ServiceMap : IServiceProvider
{
    private readonly Dictionary<Type, object> _services = [];

    public ServiceMap With<T>(T service) where T : class
    {
        _services[typeof(T)] = service;
        return this;
    }

    public object? GetService(Type serviceType) => _services.GetValueOrDefault(serviceType);
}
