using System.Text;
using Plugboard.Discovery;
using Plugboard.Metadata;

namespace Plugboard.Tests;

/// <summary>
/// The one plugin graph answers every dependency question: the load order (and why a plugin cannot load), the
/// unload order (dependents first), the dependents a reload or unload stops, and the dependencies a plugin shares.
/// Entries are built from real plugin.json text, as discovery parses it.
/// </summary>
public sealed class PluginGraphTests
{
    private static PluginCatalogEntry Entry(string id, string version, string dependencies = "")
    {
        string json = $$"""{ "id": "{{id}}", "version": "{{version}}", "dependencies": { {{dependencies}} } }""";
        string directory = Path.Combine(Path.GetTempPath(), "graph", id);
        PluginManifest manifest = PluginManifest.Parse(Encoding.UTF8.GetBytes(json), id, Path.Combine(directory, PluginManifest.FileName), directory);
        return new PluginCatalogEntry(id, directory, PluginKind.Managed) { Manifest = manifest, Version = manifest.Version };
    }

    private static readonly PluginCatalogEntry Base = Entry("base", "1.0.0");
    private static readonly PluginCatalogEntry Left = Entry("left", "1.0.0", "\"base\": \"[1.0,2.0)\"");
    private static readonly PluginCatalogEntry Right = Entry("right", "1.0.0", "\"base\": \"[1.0,2.0)\"");
    private static readonly PluginCatalogEntry Top = Entry("top", "1.0.0", "\"left\": \"[1.0,2.0)\", \"right\": \"[1.0,2.0)\"");
    private static readonly PluginCatalogEntry Alone = Entry("alone", "1.0.0");

    private static int Index(IReadOnlyList<PluginCatalogEntry> order, PluginCatalogEntry entry) => order.ToList().IndexOf(entry);

    [Fact]
    public void The_load_order_puts_every_plugin_after_its_dependencies_whatever_the_catalog_order()
    {
        LoadPlan plan = new PluginGraph([], [Top, Right, Alone, Left, Base]).LoadOrder();

        Assert.Empty(plan.Failures);
        Assert.Equal(5, plan.Ordered.Count);
        Assert.True(Index(plan.Ordered, Base) < Index(plan.Ordered, Left));
        Assert.True(Index(plan.Ordered, Base) < Index(plan.Ordered, Right));
        Assert.True(Index(plan.Ordered, Left) < Index(plan.Ordered, Top));
        Assert.True(Index(plan.Ordered, Right) < Index(plan.Ordered, Top));
    }

    [Fact]
    public void A_loaded_plugin_satisfies_a_candidate_and_is_not_loaded_again()
    {
        LoadPlan plan = new PluginGraph([Base], [Left]).LoadOrder();

        Assert.Empty(plan.Failures);
        Assert.Equal([Left], plan.Ordered);
    }

    [Fact]
    public void The_load_order_names_a_missing_dependency_a_wrong_version_and_a_cycle_with_their_chains()
    {
        PluginCatalogEntry lonely = Entry("lonely", "1.0.0", "\"nowhere\": \"[1.0,2.0)\"");
        PluginCatalogEntry picky = Entry("picky", "1.0.0", "\"base\": \"[3.0,4.0)\"");
        PluginCatalogEntry ping = Entry("ping", "1.0.0", "\"pong\": \"[1.0,2.0)\"");
        PluginCatalogEntry pong = Entry("pong", "1.0.0", "\"ping\": \"[1.0,2.0)\"");
        PluginCatalogEntry above = Entry("above", "1.0.0", "\"lonely\": \"[1.0,2.0)\"");

        LoadPlan plan = new PluginGraph([], [Base, lonely, picky, ping, pong, above]).LoadOrder();

        Assert.Equal([Base], plan.Ordered);
        var errors = plan.Failures.ToDictionary(f => f.Entry.Id, f => f.Error);
        Assert.Equal(PluginErrorCode.DependencyMissing, errors["lonely"].Code);
        Assert.Contains("chain: lonely → nowhere", errors["lonely"].Message, StringComparison.Ordinal);
        Assert.Equal(PluginErrorCode.DependencyVersionMismatch, errors["picky"].Code);
        Assert.Contains("'base' is version 1.0.0", errors["picky"].Message, StringComparison.Ordinal);
        Assert.Equal(PluginErrorCode.DependencyCycle, errors["ping"].Code);
        Assert.Equal(PluginErrorCode.DependencyCycle, errors["pong"].Code);
        Assert.Contains("ping → pong → ping", errors["ping"].Message, StringComparison.Ordinal);
        Assert.Equal(PluginErrorCode.DependencyFailed, errors["above"].Code);
        Assert.Contains("It depends on 'lonely', which cannot load", errors["above"].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_unload_order_puts_every_plugin_before_the_plugins_it_depends_on()
    {
        List<PluginCatalogEntry> order = new PluginGraph([Base, Left, Alone, Right, Top]).DependentsFirst();

        Assert.Equal(5, order.Count);
        Assert.True(Index(order, Top) < Index(order, Left));
        Assert.True(Index(order, Top) < Index(order, Right));
        Assert.True(Index(order, Left) < Index(order, Base));
        Assert.True(Index(order, Right) < Index(order, Base));
    }

    [Fact]
    public void The_dependents_of_a_plugin_are_transitive_dependents_first_and_exclude_it_and_the_unrelated()
    {
        var graph = new PluginGraph([Base, Left, Alone, Right, Top]);

        List<PluginCatalogEntry> ofBase = graph.DependentsOf("BASE");
        List<PluginCatalogEntry> ofLeft = graph.DependentsOf("left");

        Assert.Equal(["left", "right", "top"], ofBase.Select(e => e.Id).Order(StringComparer.Ordinal));
        Assert.Equal(Top, ofBase[0]);
        Assert.Equal([Top], ofLeft);
        Assert.Empty(graph.DependentsOf("top"));
        Assert.Empty(graph.DependentsOf("alone"));
    }

    [Fact]
    public void The_dependencies_of_a_plugin_are_transitive_each_once_and_a_walk_passes_only_where_allowed()
    {
        var graph = new PluginGraph([Base, Left, Right, Alone]);

        List<PluginCatalogEntry> all = graph.DependenciesOf(Top);
        List<PluginCatalogEntry> notThroughLeft = graph.DependenciesOf(Top, through: e => e.Id != "left");

        Assert.Equal(["base", "left", "right"], all.Select(e => e.Id).Order(StringComparer.Ordinal));
        Assert.Equal(["base", "right"], notThroughLeft.Select(e => e.Id).Order(StringComparer.Ordinal));
        Assert.Empty(graph.DependenciesOf(Base));
    }
}
