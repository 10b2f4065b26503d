using System.Text.RegularExpressions;

namespace Plugboard.Build.Tests;

/// <summary>
/// A page that says "proven by <c>SomeTests.Some_test</c>" names a test that exists: a renamed or deleted test leaves
/// a claim without its proof, and this finds it. Every <c>`ClassTests.Method`</c> cited in docs/ and the READMEs must be
/// a test method (<c>void</c> or <c>Task</c>) declared in a file of tests/ or benchmarks/ that declares that class.
/// </summary>
public sealed partial class DocClaimsTests
{
    [Fact]
    public void Every_test_the_docs_cite_as_proof_exists()
    {
        string[] sources = [.. new[] { "tests", "benchmarks" }
            .SelectMany(folder => Directory.EnumerateFiles(Repo.Path(folder), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText)];
        string[] pages = [.. Directory.EnumerateFiles(Repo.Path("docs"), "*.md"), Repo.Path("README.md"), Repo.Path("tests/README.md")];

        var cited = new List<string>();
        var missing = new List<string>();
        foreach (string page in pages)
        {
            foreach (Match citation in Citation().Matches(File.ReadAllText(page)))
            {
                string type = citation.Groups[1].Value, method = citation.Groups[2].Value;
                cited.Add($"{type}.{method}");
                bool exists = sources.Any(source => Regex.IsMatch(source, $@"\bclass\s+{type}\b") && Regex.IsMatch(source, $@"\b(void|Task)\s+{method}\s*\("));
                if (!exists)
                {
                    missing.Add($"{Path.GetRelativePath(Repo.Root, page)} cites {type}.{method}, which is no test method");
                }
            }
        }

        Assert.True(cited.Count > 50, $"only {cited.Count} citations found: the pattern no longer matches how the docs cite tests");
        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }

    [GeneratedRegex(@"`([A-Z][A-Za-z0-9]*Tests)\.([A-Za-z_][A-Za-z0-9_]*)`")]
    private static partial Regex Citation();
}
