using System.Text;
using Plugboard.TestSupport;
using Plugboard.Tools;

namespace Plugboard.Compatibility.Tests;

/// <summary>
/// The differential corpus: for every API-evolution case, Plugboard's verdict (from metadata, before any plugin code
/// runs) must agree with what the runtime does when the plugin is loaded against the new API and called.
/// </summary>
public sealed class CorpusTests
{
    public static TheoryData<string> Cases => [.. CorpusCase.All.Select(c => c.Name)];

    [Fact]
    public void The_corpus_has_at_least_forty_cases_with_breaking_and_compatible_ones()
    {
        Assert.True(CorpusCase.All.Count >= 40, $"only {CorpusCase.All.Count} cases");
        Assert.Contains(CorpusRun.All, r => r.Truth.Runs);
        Assert.Contains(CorpusRun.All, r => !r.Truth.Runs);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Plugboard_agrees_with_the_runtime(string name)
    {
        CorpusRun.Result result = CorpusRun.Of(name);

        string problems = string.Join("\n", result.Verdict.Problems.Select(p => p.Message));
        Assert.False(result.FalsePositive, $"false positive: the plugin runs on the new API, but Plugboard refuses it:\n{problems}");
        Assert.False(result.FalseNegative, $"false negative: Plugboard accepts the plugin, but the runtime throws {result.Truth.Failure}");
        // The strict rule may refuse more (newer minors), never accept more.
        Assert.False(result.StrictVerdict.IsCompatible && !result.Accepted, "the Strict rule accepted what the default refused");
        foreach (string code in result.Case.ExpectedCodes)
        {
            Assert.Contains(result.Verdict.Problems, p => p.CodeText == code);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_refusal_names_the_plugin_and_a_fix(string name)
    {
        CorpusRun.Result result = CorpusRun.Of(name);

        foreach (PluginException problem in result.Verdict.Problems)
        {
            Assert.Equal(CaseCompiler.PluginName, problem.PluginId);
            Assert.False(string.IsNullOrWhiteSpace(problem.Fix));
            Assert.StartsWith(problem.CodeText + " plugin 'CasePlugin'", problem.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_plugin_needing_ASP_NET_Core_is_accepted_for_a_host_declared_to_run_it()
    {
        // The same plugin as the refused case, checked for a web host: the framework's assemblies are the framework's.
        CorpusCase corpusCase = CorpusCase.All.Single(c => c.Name == "aspnetcore-framework-in-console-host");
        string root = Path.Combine(Path.GetTempPath(), "plugboard-corpus", Guid.NewGuid().ToString("N"));
        try
        {
            CaseCompiler.Built built = CaseCompiler.Build(corpusCase, root);
            var webHost = new HostApiFiles([built.HostApiPath], "CaseApi.IPlugin") { SharedFrameworks = ["Microsoft.AspNetCore.App"] };

            PluginCatalogEntry entry = webHost.Discover(built.PluginsDirectory).Entries.Single();

            Assert.True(entry.IsCompatible, string.Join("\n", entry.Problems.Select(p => p.Message)));
            Assert.Contains(entry.References, r => r is { Name: "Microsoft.AspNetCore.Http.Abstractions", Resolution: AssemblyResolution.Framework });
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void The_framework_refusal_names_the_framework_and_the_fix_instead_of_missing_files()
    {
        PluginException error = Assert.Single(CorpusRun.Of("aspnetcore-framework-in-console-host").Verdict.Problems);

        Assert.Equal(PluginErrorCode.SharedFrameworkNotInHost, error.Code);
        Assert.Contains("It needs the shared framework Microsoft.AspNetCore.App 10.0.0 (its runtimeconfig.json says so), but this host runs only Microsoft.NETCore.App.", error.Message, StringComparison.Ordinal);
        Assert.Contains("Fix: Load the plugin in a host that runs Microsoft.AspNetCore.App", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_name_the_member_in_CSharp_syntax_and_the_plugin_type()
    {
        Assert.Contains("CasePlugin.Handler does not implement void CaseApi.IHandler.Reset()", CorpusRun.Of("same-name-unrelated-method").Verdict.Problems.Single().Message, StringComparison.Ordinal);
        Assert.Contains("CasePlugin.MoneyHandler does not implement void CaseApi.IHandler<CaseApi.Money>.Reset()", CorpusRun.Of("explicit-generic-interface-member-added").Verdict.Problems.Single().Message, StringComparison.Ordinal);
        Assert.Contains("CasePlugin.Rule does not implement long CaseApi.IRule.get_Priority()", CorpusRun.Of("change-implemented-property-type").Verdict.Problems.Single(p => p.Code == PluginErrorCode.ContractMemberNotImplemented).Message, StringComparison.Ordinal);
        Assert.Contains("decimal CaseApi.Money.Amount", CorpusRun.Of("forwarded-type-renamed-field").Verdict.Problems.Single().Message, StringComparison.Ordinal);
        Assert.Contains("int CaseApi.Api.Scale(int) is not public in this host's API", CorpusRun.Of("method-made-internal").Verdict.Problems.Single().Message, StringComparison.Ordinal);
        Assert.Contains("CasePlugin.Fancy derives from CaseApi.Widget, which is sealed in this host's API", CorpusRun.Of("class-sealed").Verdict.Problems.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_newer_minor_accepted_by_the_surface_says_so_in_a_warning()
    {
        CorpusRun.Result result = CorpusRun.Of("newer-minor-using-old-members");

        Assert.True(result.Accepted);
        Assert.Contains(result.Verdict.Warnings, w => w.Contains("was built against host API CaseApi 1.2.0.0, newer than this host's CaseApi 1.1.0.0; it is accepted because every CaseApi type and member it uses exists here", StringComparison.Ordinal));
        Assert.Equal(PluginErrorCode.HostApiVersionIncompatible, Assert.Single(result.StrictVerdict.Problems).Code);
    }

    [Fact]
    public void The_truth_contexts_are_collected()
    {
        // The runtime's verdict came from collectible contexts: proven gone, so no case leaks into the next.
        foreach (CorpusRun.Result result in CorpusRun.All)
        {
            Assert.True(GcLoop.Until(() => !result.Truth.Contexts.IsAlive), $"{result.Case.Name}: the runtime truth's context was not collected");
        }
    }

    [Fact]
    public void The_case_matrix_in_docs_compatibility_md_is_current()
    {
        string path = Path.Combine(TestPaths.RepoRoot, "docs", "compatibility.md");
        string current = File.ReadAllText(path);
        const string begin = "<!-- corpus:begin (generated by tests/Plugboard.Compatibility.Tests; do not edit) -->";
        const string end = "<!-- corpus:end -->";
        int from = current.IndexOf(begin, StringComparison.Ordinal);
        int to = current.IndexOf(end, StringComparison.Ordinal);
        Assert.True(from >= 0 && to > from, $"{path} lacks the corpus markers");

        string expected = current[..(from + begin.Length)] + "\n" + Matrix() + current[to..];
        if (expected != current)
        {
            // Rewritten so the change can be reviewed and committed; the test still fails until it is.
            File.WriteAllText(path, expected);
        }
        Assert.Equal(expected, current);
    }

    private static string Matrix()
    {
        var text = new StringBuilder();
        List<CorpusRun.Result> all = [.. CorpusRun.All];
        text.Append(System.Globalization.CultureInfo.InvariantCulture,
            $"{all.Count} cases; the runtime runs {all.Count(r => r.Truth.Runs)} and breaks {all.Count(r => !r.Truth.Runs)}; " +
            $"false positives: {all.Count(r => r.FalsePositive)}, false negatives: {all.Count(r => r.FalseNegative)}.\n\n");
        text.Append("| case | what changes | runtime (v1 plugin on v2 API) | Plugboard (default, SurfaceProven) | Plugboard (Strict) |\n|---|---|---|---|---|\n");
        foreach (CorpusRun.Result r in all)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"| `{r.Case.Name}` | {r.Case.Description.Replace("|", "\\|", StringComparison.Ordinal)} | {r.Truth.Text} | {r.VerdictText} | {r.StrictVerdictText} |\n");
        }
        return text.ToString();
    }
}
