using Microsoft.Extensions.Hosting;

namespace Plugboard.Hosting;

/// <summary>Loads the plugins when the host starts and unloads them, with their reports logged, when it stops.</summary>
internal sealed class PlugboardHostedService<TContract>(PluginRuntime<TContract> runtime) : IHostedService where TContract : class
{
    public Task StartAsync(CancellationToken cancellationToken) => runtime.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => runtime.StopAsync();
}
