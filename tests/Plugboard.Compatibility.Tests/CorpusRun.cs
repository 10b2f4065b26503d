using Plugboard.Tools;

namespace Plugboard.Compatibility.Tests;

/// <summary>Every case built once, judged by the runtime and by Plugboard; shared by the tests.</summary>
internal static class CorpusRun
{
    public sealed record Result(CorpusCase Case, RuntimeTruth.Outcome Truth, PluginCatalogEntry Verdict, PluginCatalogEntry StrictVerdict)
    {
        public string StrictVerdictText => StrictVerdict.IsCompatible ? "accepted" : string.Join(", ", StrictVerdict.Problems.Select(p => p.CodeText).Distinct());

        public bool Accepted => Verdict.IsCompatible;

        public bool FalsePositive => Truth.Runs && !Accepted;

        public bool FalseNegative => !Truth.Runs && Accepted;

        public string VerdictText => Accepted ? "accepted" : string.Join(", ", Verdict.Problems.Select(p => p.CodeText).Distinct());
    }

    private static readonly Lazy<IReadOnlyDictionary<string, Result>> Results = new(RunAll, LazyThreadSafetyMode.ExecutionAndPublication);

    public static Result Of(string name) => Results.Value[name];

    public static IEnumerable<Result> All => CorpusCase.All.Select(c => Results.Value[c.Name]);

    private static Dictionary<string, Result> RunAll()
    {
        string root = Path.Combine(Path.GetTempPath(), "plugboard-corpus", Guid.NewGuid().ToString("N"));
        var results = new Dictionary<string, Result>(StringComparer.Ordinal);
        try
        {
            foreach (CorpusCase corpusCase in CorpusCase.All)
            {
                CaseCompiler.Built built = CaseCompiler.Build(corpusCase, Path.Combine(root, corpusCase.Name));
                // Plugboard's verdict first, from metadata only, exactly as `plugboard verify` and the host decide it.
                var hostApi = new HostApiFiles([built.HostApiPath], "CaseApi.IPlugin");
                PluginCatalogEntry verdict = hostApi.Discover(built.PluginsDirectory).Entries.Single();
                var strict = new HostApiFiles([built.HostApiPath], "CaseApi.IPlugin") { ApiVersionRule = ApiVersionRule.Strict };
                PluginCatalogEntry strictVerdict = strict.Discover(built.PluginsDirectory).Entries.Single();
                results[corpusCase.Name] = new Result(corpusCase, RuntimeTruth.Run(built), verdict, strictVerdict);
            }
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: the temp folder is disposable.
            }
        }
        return results;
    }
}
