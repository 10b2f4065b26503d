using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Plugboard.Hosting;

/// <summary>
/// Reports <see cref="IPluginSet{TContract}.Health"/> as a health check: register it with
/// <c>services.AddHealthChecks().AddCheck&lt;PluginHealthCheck&lt;TContract&gt;&gt;("plugins")</c>.
/// </summary>
/// <typeparam name="TContract">The contract plugins implement.</typeparam>
/// <param name="plugins">The plugins to report on.</param>
public sealed class PluginHealthCheck<TContract>(IPluginSet<TContract> plugins) : IHealthCheck where TContract : class
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        PluginHealth health = plugins.Health;
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["loaded"] = health.Loaded.Select(p => $"{p.Key} {p.Value}").ToArray(),
            ["failed"] = health.Failed.Select(p => $"{p.Key}: {p.Value.CodeText}").ToArray(),
            ["reloading"] = health.Reloading,
            ["abandoned"] = health.Abandoned.Select(p => $"{p.PluginId}: {p.Hook} {(p.Error.Code == PluginErrorCode.LoadCanceled ? "was cancelled" : "timed out")}").ToArray(),
        };
        HealthStatus status = health.Status switch
        {
            PluginHealthStatus.Healthy => HealthStatus.Healthy,
            PluginHealthStatus.Degraded => HealthStatus.Degraded,
            _ => context?.Registration?.FailureStatus ?? HealthStatus.Unhealthy,
        };
        return Task.FromResult(new HealthCheckResult(status, health.Description, data: data));
    }
}
