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

namespace Plugboard.Tests.WrongWay.Compatibility
{
    /// <summary>Stands for the compatibility check.</summary>
    public sealed class Check
    {
        public bool Passed { get; set; }
    }
}

namespace Plugboard.Tests.WrongWay.Trust
{
    /// <summary>Stands for the trust policy.</summary>
    public sealed class Policy
    {
        public bool Strict { get; set; }
    }
}

namespace Plugboard.Tests.WrongWay.Metadata
{
    /// <summary>A metadata reader running the compatibility check: what the rule forbids (the old PluginInspector).</summary>
    public sealed class ReaderThatChecksCompatibility
    {
        public Compatibility.Check Check { get; } = new();
    }

    /// <summary>A metadata reader applying the trust policy: what the rule forbids.</summary>
    public sealed class ReaderThatKnowsTrust
    {
        public Trust.Policy Policy { get; } = new();
    }
}

namespace Plugboard.Tests.WrongWay
{
    /// <summary>A catalog entry whose properties later stages may set: what the immutability rule forbids.</summary>
    public sealed class MutableCatalogEntry
    {
        public string Id { get; internal set; } = "";

        public string? Version { get; init; }
    }

    /// <summary>An immutable one (init-only and get-only), which the rule accepts.</summary>
    public sealed class ImmutableCatalogEntry
    {
        public string Id { get; init; } = "";

        public string Verdict => Id;
    }
}

namespace Plugboard.Tests.WrongWay.Serving
{
    /// <summary>Stands for the worker's side of out-of-process plugins.</summary>
    public sealed class Server
    {
        public int Calls { get; set; }
    }
}

namespace Plugboard.Tests.WrongWay.Isolation
{
    /// <summary>The host's side of out-of-process plugins reaching up into the façade: what the rule forbids.</summary>
    public sealed class SupervisorThatKnowsTheHost
    {
        public PluginHost<long> Host { get; } = new();
    }

    /// <summary>The host's side running the worker's side in the host: what the rule forbids.</summary>
    public sealed class SupervisorThatServes
    {
        public Serving.Server Server { get; } = new();
    }
}
