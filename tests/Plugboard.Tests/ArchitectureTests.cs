using System.Reflection;
using NetArchTest.Rules;

namespace Plugboard.Tests;

/// <summary>
/// The layers point one way (docs/host-guide.md, "Where things are decided"). Each rule is one function, run against
/// Plugboard's assemblies and, as proof that it can fail, against a small set of types in this test assembly that
/// break it on purpose.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly Core = typeof(PluginException).Assembly;
    private static readonly Assembly Abstractions = typeof(IPluginContext).Assembly;
    private static readonly Assembly Native = typeof(Native.NativePlugin).Assembly;
    private static readonly Assembly Host = typeof(PluginHost<>).Assembly;

    /// <summary>Types of <paramref name="namespace"/> in <paramref name="assembly"/> that depend on any of <paramref name="forbidden"/> (namespaces or full type names).</summary>
    private static IReadOnlyList<string> Offenders(Assembly assembly, string @namespace, params string[] forbidden)
    {
        TestResult result = Types.InAssembly(assembly).That().ResideInNamespace(@namespace)
            .ShouldNot().HaveDependencyOnAny(forbidden).GetResult();
        return result.IsSuccessful ? [] : [.. result.FailingTypeNames ?? []];
    }

    /// <summary>Loading a plugin never reaches up into lifetime or the host façade.</summary>
    private static IReadOnlyList<string> LoadingPointsDown(Assembly assembly, string root) =>
        Offenders(assembly, root + ".Loading", root + ".Lifetime", root + ".PluginHost`1", root + ".LoadedPlugin`1", root + ".PluginDirectoryWatcher`1");

    /// <summary>Lifetime never reaches up into the host façade.</summary>
    private static IReadOnlyList<string> LifetimePointsDown(Assembly assembly, string root) =>
        Offenders(assembly, root + ".Lifetime", root + ".PluginHost`1", root + ".LoadedPlugin`1", root + ".PluginDirectoryWatcher`1");

    /// <summary>Metadata readers are the bottom layer: they never run the compatibility check, apply trust, or know catalog entries, discovery, loading or lifetime.</summary>
    private static IReadOnlyList<string> MetadataPointsDown(Assembly assembly, string root) =>
        Offenders(assembly, root + ".Metadata", root + ".Compatibility", root + ".Trust", root + ".Discovery", root + ".Loading", root + ".Lifetime",
            root + ".PluginCatalogEntry", root + ".PluginHost`1", root + ".LoadedPlugin`1");

    /// <summary>Compatibility and trust read metadata; they never reach up into discovery, loading, lifetime or the façade.</summary>
    private static IReadOnlyList<string> ChecksPointDown(Assembly assembly, string root) =>
        [.. Offenders(assembly, root + ".Compatibility", root + ".Discovery", root + ".Loading", root + ".Lifetime", root + ".PluginHost`1", root + ".LoadedPlugin`1"),
         .. Offenders(assembly, root + ".Trust", root + ".Discovery", root + ".Loading", root + ".Lifetime", root + ".PluginHost`1", root + ".LoadedPlugin`1")];

    /// <summary>Discovery never reaches up into loading, lifetime or the façade.</summary>
    private static IReadOnlyList<string> DiscoveryPointsDown(Assembly assembly, string root) =>
        Offenders(assembly, root + ".Discovery", root + ".Loading", root + ".Lifetime", root + ".PluginHost`1", root + ".LoadedPlugin`1");

    /// <summary>
    /// The out-of-process runtime is a runtime like the others: its host side never reaches up into lifetime or the
    /// façade, nor into the worker's side (which is a host of its own, in the worker); and loading and lifetime never
    /// know either (only the façade picks the runtime).
    /// </summary>
    private static IReadOnlyList<string> IsolationPointsDown(Assembly assembly, string root) =>
        [.. Offenders(assembly, root + ".Isolation", root + ".Lifetime", root + ".PluginHost`1", root + ".LoadedPlugin`1", root + ".PluginDirectoryWatcher`1", root + ".Serving"),
         .. Offenders(assembly, root + ".Loading", root + ".Isolation", root + ".Serving"),
         .. Offenders(assembly, root + ".Lifetime", root + ".Isolation", root + ".Serving")];

    /// <summary>
    /// Properties of <paramref name="type"/> that can be set after construction (any setter that is not init-only), and
    /// instance fields that are not read-only (an auto-property's backing field counts through its property): a catalog
    /// entry is made once, and later stages make new ones.
    /// </summary>
    private static IReadOnlyList<string> Mutable(Type type) =>
        [.. type.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(p => p.SetMethod is MethodInfo set && !set.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(System.Runtime.CompilerServices.IsExternalInit)))
            .Select(p => p.Name),
         .. type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).Where(f => !f.IsInitOnly && !f.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute))).Select(f => f.Name)];

    [Fact]
    public void Metadata_compatibility_trust_and_discovery_point_down_and_the_rules_catch_a_wrong_way_reference()
    {
        Assert.Empty(MetadataPointsDown(Host, "Plugboard"));
        Assert.Empty(ChecksPointDown(Host, "Plugboard"));
        Assert.Empty(DiscoveryPointsDown(Host, "Plugboard"));

        // Proof: the metadata rule over types of this assembly that reference the wrong way.
        Assembly wrongWay = typeof(WrongWay.Metadata.ReaderThatChecksCompatibility).Assembly;
        Assert.Equal(["Plugboard.Tests.WrongWay.Metadata.ReaderThatChecksCompatibility", "Plugboard.Tests.WrongWay.Metadata.ReaderThatKnowsTrust"],
            MetadataPointsDown(wrongWay, "Plugboard.Tests.WrongWay").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Catalog_entries_are_immutable_and_the_rule_catches_a_settable_property()
    {
        Assert.Empty(Mutable(typeof(PluginCatalogEntry)));
        Assert.Empty(Mutable(typeof(PluginCatalog)));

        Assert.Equal(["Id"], Mutable(typeof(WrongWay.MutableCatalogEntry)));
        Assert.Empty(Mutable(typeof(WrongWay.ImmutableCatalogEntry)));
    }

    [Fact]
    public void The_core_and_the_abstractions_depend_on_nothing_of_ours()
    {
        Assert.Empty(Core.GetReferencedAssemblies().Where(a => a.Name!.StartsWith("Plugboard", StringComparison.Ordinal)).Select(a => a.Name));
        Assert.Empty(Abstractions.GetReferencedAssemblies().Where(a => a.Name!.StartsWith("Plugboard", StringComparison.Ordinal)).Select(a => a.Name));
    }

    [Fact]
    public void Native_uses_the_core_never_the_managed_loader_or_the_logging_abstractions()
    {
        Assert.Equal(["Plugboard.Abstractions", "Plugboard.Core"],
            Native.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("Plugboard", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(Native.GetReferencedAssemblies(), a => a.Name == "Microsoft.Extensions.Logging.Abstractions");
    }

    [Fact]
    public void Loading_and_lifetime_point_down_and_the_rules_catch_a_wrong_way_reference()
    {
        Assert.Empty(LoadingPointsDown(Host, "Plugboard"));
        Assert.Empty(LifetimePointsDown(Host, "Plugboard"));

        // Proof: the same rules over types of this assembly that reference the wrong way.
        Assembly wrongWay = typeof(WrongWay.Loading.LoaderThatKnowsTheHost).Assembly;
        Assert.Equal(["Plugboard.Tests.WrongWay.Loading.LoaderThatKnowsTheHost"], LoadingPointsDown(wrongWay, "Plugboard.Tests.WrongWay"));
        Assert.Equal(["Plugboard.Tests.WrongWay.Lifetime.RetirementThatKnowsTheHost"], LifetimePointsDown(wrongWay, "Plugboard.Tests.WrongWay"));
    }

    [Fact]
    public void The_out_of_process_runtime_points_down_and_the_rule_catches_a_wrong_way_reference()
    {
        Assert.Empty(IsolationPointsDown(Host, "Plugboard"));

        Assembly wrongWay = typeof(WrongWay.Isolation.SupervisorThatKnowsTheHost).Assembly;
        Assert.Equal(["Plugboard.Tests.WrongWay.Isolation.SupervisorThatKnowsTheHost", "Plugboard.Tests.WrongWay.Isolation.SupervisorThatServes"],
            IsolationPointsDown(wrongWay, "Plugboard.Tests.WrongWay").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Hosting_uses_public_API_only_and_the_CLI_is_the_one_named_exception()
    {
        // Plugboard.Hosting is a host like any other: public API only. The CLI is the project's own tool and the one
        // exception: it sees the internal types that exist only for it (src/Plugboard/Tools: HostApiFiles,
        // HostApiComparison; the catalog entry's HostApiTypes and HostApiMembers), which no host needs. Every other
        // friend is a test project.
        string[] friends = [.. Host.GetCustomAttributes<System.Runtime.CompilerServices.InternalsVisibleToAttribute>().Select(a => a.AssemblyName).Order(StringComparer.Ordinal)];
        Assert.Equal(["Plugboard.Cli", "Plugboard.Compatibility.Tests", "Plugboard.Isolation.Tests", "Plugboard.Native.Tests", "Plugboard.Tests"], friends);
        string[] coreFriends = [.. Core.GetCustomAttributes<System.Runtime.CompilerServices.InternalsVisibleToAttribute>().Select(a => a.AssemblyName)];
        Assert.DoesNotContain("Plugboard.Hosting", coreFriends);
        Assert.DoesNotContain("Plugboard.Cli", coreFriends);
        Assert.All(Types.InAssembly(Host).That().ResideInNamespace("Plugboard.Tools").GetTypes(), t => Assert.False(t.IsPublic, $"{t} is a tool type and stays internal"));
    }
}
