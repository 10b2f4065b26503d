using Newtonsoft.Json;
using Notebook.Api;
using Plugboard;

namespace AutoTagger;

/// <summary>Tags notes by keyword rules it reads, with its own Newtonsoft.Json, from its plugin folder.</summary>
public sealed class TaggerPlugin : INoteProcessor, IPluginLifecycle
{
    private IReadOnlyList<TagRule> _rules = [];

    public string Name => "auto-tagger";

    public async Task InitializeAsync(IPluginContext context, CancellationToken cancellationToken)
    {
        string path = Path.Combine(context.PluginDirectory, "tag-rules.json");
        string json = await File.ReadAllTextAsync(path, cancellationToken);
        _rules = JsonConvert.DeserializeObject<TagRuleFile>(json)?.Rules ?? [];
        context.Log.Write(PluginLogLevel.Information, $"Loaded {_rules.Count} tag rules with Newtonsoft.Json {typeof(JsonConvert).Assembly.GetName().Version}");
    }

    public string Process(Note note, NotebookStore store)
    {
        var words = new HashSet<string>(TextTools.Tokenize(note.Title + " " + note.Body), StringComparer.Ordinal);
        var added = _rules.Where(r => r.Keywords.Any(words.Contains) && note.Tags.Add(r.Tag)).Select(r => r.Tag).ToList();
        return added.Count == 0 ? "no tags" : "tagged " + string.Join(", ", added);
    }

    private sealed class TagRuleFile
    {
        public List<TagRule> Rules { get; set; } = [];
    }

    private sealed class TagRule
    {
        public string Tag { get; set; } = "";
        public List<string> Keywords { get; set; } = [];
    }
}
