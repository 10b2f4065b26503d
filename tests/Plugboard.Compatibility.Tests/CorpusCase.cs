namespace Plugboard.Compatibility.Tests;

/// <summary>
/// One API-evolution case of the differential corpus: the host API as the plugin was built against it (v1), the
/// host API this host runs (v2), and a plugin compiled against v1. Read from tests/Compatibility/Cases/&lt;name&gt;/.
/// </summary>
internal sealed record CorpusCase(string Name, string Description, string Directory)
{
    public string? Read(string file) => File.Exists(Path.Combine(Directory, file)) ? File.ReadAllText(Path.Combine(Directory, file)) : null;

    /// <summary>Error codes the refusal must include (Expected.txt, one per line): for cases about the diagnosis, not only the verdict.</summary>
    public IReadOnlyList<string> ExpectedCodes =>
        Read("Expected.txt")?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    public static IReadOnlyList<CorpusCase> All { get; } = Load();

    private static List<CorpusCase> Load()
    {
        string root = TestPaths.CasesDirectory;
        return System.IO.Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal).Select(dir =>
        {
            string plugin = File.ReadAllText(Path.Combine(dir, "Plugin.cs"));
            string first = plugin.Split('\n')[0].Trim();
            if (!first.StartsWith("// ", StringComparison.Ordinal))
            {
                throw new InvalidDataException($"{dir}/Plugin.cs must start with a '// description' line.");
            }
            return new CorpusCase(Path.GetFileName(dir), first[3..], dir);
        }).ToList();
    }

    public override string ToString() => Name;
}
