using System.Text.RegularExpressions;

namespace Plugboard.Build.Tests;

/// <summary>
/// docs/errors.md stays true: every <see cref="PluginErrorCode"/> and every PLUGBOARD code the kit raises has a row
/// with its cause and its fix, no row documents a code that does not exist, and no live code is called reserved.
/// </summary>
public sealed partial class ErrorsDocTests
{
    private static readonly string Doc = File.ReadAllText(Repo.Path("docs/errors.md"));

    [Fact]
    public void Every_PluginErrorCode_is_documented_with_its_name_cause_and_fix()
    {
        Dictionary<string, string[]> rows = CodeRow().Matches(Doc).ToDictionary(m => m.Groups[1].Value, m => Cells(m.Value));
        var problems = new List<string>();
        foreach (PluginErrorCode code in Enum.GetValues<PluginErrorCode>())
        {
            string text = $"PB{(int)code:D4}";
            if (!rows.TryGetValue(text, out string[]? cells))
            {
                problems.Add($"{text} ({code}) has no row");
                continue;
            }
            if (cells.Length != 4 || cells[1] != $"`{code}`")
            {
                problems.Add($"{text}: the row should read | {text} | `{code}` | cause | fix |, not {string.Join(" | ", cells)}");
                continue;
            }
            if (!Meaningful(cells[2]) || !Meaningful(cells[3]))
            {
                problems.Add($"{text} ({code}): the cause or the fix is empty");
            }
        }
        foreach (string documented in rows.Keys.Where(k => !Enum.IsDefined(typeof(PluginErrorCode), int.Parse(k[2..], System.Globalization.CultureInfo.InvariantCulture))))
        {
            problems.Add($"{documented} is documented but is no PluginErrorCode");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_build_code_the_kit_raises_is_documented_with_cause_and_fix()
    {
        string targets = File.ReadAllText(Repo.KitTargets);
        string[] raised = [.. KitCode().Matches(targets).Select(m => m.Groups[1].Value).Distinct().Order(StringComparer.Ordinal)];
        Dictionary<string, string[]> rows = BuildRow().Matches(Doc).ToDictionary(m => m.Groups[1].Value, m => Cells(m.Value));

        Assert.Equal(["PLUGBOARD001", "PLUGBOARD002", "PLUGBOARD003", "PLUGBOARD004", "PLUGBOARD021"], raised);
        Assert.Equal(raised, rows.Keys.Order(StringComparer.Ordinal));
        foreach (string code in raised)
        {
            Assert.True(rows[code].Length == 3 && Meaningful(rows[code][1]) && Meaningful(rows[code][2]), $"{code}: | code | cause | fix | expected, found {string.Join(" | ", rows[code])}");
        }
    }

    [Fact]
    public void No_code_is_called_reserved()
    {
        // Every code in the enum is live (thrown, or a documented warning): "reserved" would be a stale page.
        string[] lines = [.. Doc.Split('\n').Where(l => l.Contains("reserved", StringComparison.OrdinalIgnoreCase))];
        Assert.True(lines.Length == 0, string.Join("\n", lines));
    }

    private static bool Meaningful(string cell) => cell.Length > 10 && cell != "—";

    private static string[] Cells(string row) => [.. row.Trim().Trim('|').Split(" | ").Select(c => c.Trim())];

    [GeneratedRegex(@"^\| (PB\d{4}) \|.*\|[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex CodeRow();

    [GeneratedRegex(@"^\| (PLUGBOARD\d{3}) \|.*\|[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex BuildRow();

    [GeneratedRegex("Code=\"(PLUGBOARD\\d{3})\"")]
    private static partial Regex KitCode();
}
