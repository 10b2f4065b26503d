namespace Plugboard.Benchmarks.Api;

/// <summary>The contract every synthetic benchmark plugin implements.</summary>
public interface IBenchPlugin
{
    /// <summary>"v1" or "v2": which build answers (hot reload).</summary>
    string Version { get; }

    /// <summary>A tiny call, so the cost of reaching the plugin dominates.</summary>
    int Compute(int x);

    /// <summary>A call that calls back into a host object.</summary>
    int CallHost(IBenchHost host, int x);
}

/// <summary>A host service plugins call back into.</summary>
public interface IBenchHost
{
    int Echo(int x);
}
