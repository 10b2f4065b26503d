// Deliberately wrong-way references, for ArchitectureTests to prove its rules fail on them. Never used otherwise.
namespace Plugboard.Tests.WrongWay
{
    /// <summary>Stands for the host façade.</summary>
    public sealed class PluginHost<T>
    {
        public T? Value { get; set; }
    }
}

namespace Plugboard.Tests.WrongWay.Loading
{
    /// <summary>A loader reaching up into the façade: what the rule forbids.</summary>
    public sealed class LoaderThatKnowsTheHost
    {
        public PluginHost<string> Host { get; } = new();
    }
}

namespace Plugboard.Tests.WrongWay.Lifetime
{
    /// <summary>Lifetime reaching up into the façade: what the rule forbids.</summary>
    public sealed class RetirementThatKnowsTheHost
    {
        public PluginHost<int> Host { get; } = new();
    }
}
