namespace Plugboard.Hosting;

/// <summary>One change to the host options of <typeparamref name="TContract"/>'s host, registered by <see cref="PlugboardServiceCollectionExtensions.ConfigurePluginHost{TContract}"/>.</summary>
/// <typeparam name="TContract">The contract whose host it configures.</typeparam>
internal sealed class PluginHostConfiguration<TContract>(Action<PluginHostOptions> configure) where TContract : class
{
    public void Apply(PluginHostOptions options) => configure(options);
}
