using Plugboard.Benchmarks.Api;

namespace BenchPlugins;

/// <summary>The synthetic plugin's one entry type.</summary>
public sealed class Calculator : IBenchPlugin
{
#if V2
    public string Version => "v2";
#else
    public string Version => "v1";
#endif

    public int Compute(int x) => x + 1;

    public int CallHost(IBenchHost host, int x) => host.Echo(x) + 1;
}
