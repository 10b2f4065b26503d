using Notebook.Api;
using Plugboard;

namespace Notebook.Host;

/// <summary>Collects what each plugin did and prints it as a table.</summary>
internal sealed class PluginReport
{
    private readonly Dictionary<string, Row> _rows = new(StringComparer.OrdinalIgnoreCase);

    public void Record(PluginCatalogEntry entry, string line) => RowFor(entry, "loaded").Lines.Add(line);

    public void Fail(PluginCatalogEntry entry, PluginException error) => RowFor(entry, "failed " + error.CodeText).Lines.Add(error.Cause);

    public void Skip(PluginCatalogEntry entry, string why) => RowFor(entry, "skipped").Lines.Add(why);

    public void PrintPlugins(TextWriter output)
    {
        var rows = _rows.Values.OrderBy(r => r.Entry.Id, StringComparer.OrdinalIgnoreCase).ToList();
        PrintTable(output, ["plugin", "kind", "version", "description", "status", "what it did"],
            rows.Select(r => new[]
            {
                r.Entry.Id, r.Entry.Kind.ToString().ToLowerInvariant(), r.Entry.Version?.ToNormalizedString() ?? "?",
                r.Entry.Manifest?.Description ?? "", r.Status, string.Join(" | ", r.Lines),
            }));
    }

    public static void PrintNotes(TextWriter output, NotebookStore store) =>
        PrintTable(output, ["note", "title", "author", "tags", "metrics"],
            store.Notes.Select(n => new[]
            {
                "#" + n.Id, n.Title, n.Author, n.Tags.ToString(),
                string.Join(", ", n.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"{m.Key}={m.Value}")),
            }));

    private Row RowFor(PluginCatalogEntry entry, string status)
    {
        if (!_rows.TryGetValue(entry.Id, out Row? row))
        {
            _rows[entry.Id] = row = new Row(entry, status);
        }
        return row;
    }

    private static void PrintTable(TextWriter output, string[] header, IEnumerable<string[]> body)
    {
        const int MaxWidth = 70;
        var rows = body.Select(r => r.Select(c => c.Length > MaxWidth ? c[..(MaxWidth - 1)] + "…" : c).ToArray()).ToList();
        int[] widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        string Line(string[] cells) => "| " + string.Join(" | ", cells.Select((c, i) => c.PadRight(widths[i]))) + " |";
        string rule = "|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|";
        output.WriteLine(Line(header));
        output.WriteLine(rule);
        foreach (string[] row in rows)
        {
            output.WriteLine(Line(row));
        }
    }

    private sealed record Row(PluginCatalogEntry Entry, string Status)
    {
        public List<string> Lines { get; } = [];
    }
}
