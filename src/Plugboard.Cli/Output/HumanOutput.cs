using Spectre.Console;
using Spectre.Console.Rendering;

namespace Plugboard.Cli.Output;

/// <summary>Tables and headings for people, through Spectre.Console (plain text when the output is not a terminal).</summary>
internal sealed class HumanOutput
{
    private readonly IAnsiConsole _console;

    public HumanOutput(TextWriter writer)
    {
        _console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
            Interactive = InteractionSupport.No,
        });
        if (!ReferenceEquals(writer, Console.Out) || Console.IsOutputRedirected)
        {
            // Not a terminal: lines are read by people in logs and by tools, so do not wrap at 80 columns.
            _console.Profile.Width = 160;
        }
    }

    public void Heading(string text) => _console.Write(new Rule(Markup.Escape(text)) { Justification = Justify.Left });

    public void Line(string text = "") => _console.WriteLine(text);

    public void Styled(string text, string style) => _console.MarkupLine($"[{style}]{Markup.Escape(text)}[/]");

    public void Fields(IEnumerable<(string Name, string? Value)> fields)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        foreach ((string name, string? value) in fields)
        {
            grid.AddRow(new Text(name, new Style(decoration: Decoration.Bold)), new Text(value ?? "-"));
        }
        _console.Write(grid);
    }

    public void Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string?>> rows, Func<IReadOnlyList<string?>, Style?>? rowStyle = null)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (string header in headers)
        {
            table.AddColumn(new TableColumn(new Text(header, new Style(decoration: Decoration.Bold))));
        }
        foreach (IReadOnlyList<string?> row in rows)
        {
            Style? style = rowStyle?.Invoke(row);
            table.AddRow(row.Select(cell => (IRenderable)new Text(cell ?? "-", style ?? Style.Plain)).ToArray());
        }
        _console.Write(table);
    }

    public void List(string title, IReadOnlyList<string> items)
    {
        _console.MarkupLine($"[bold]{Markup.Escape(title)}[/] ({items.Count})");
        foreach (string item in items)
        {
            _console.WriteLine("  " + item);
        }
    }

    public void Problem(ProblemModel problem)
    {
        _console.MarkupLine($"[red]{Markup.Escape(problem.Code)}[/] [bold]{Markup.Escape(problem.Plugin)}[/]{Markup.Escape(problem.Path is null ? string.Empty : $" ({problem.Path})")}");
        _console.WriteLine("  cause: " + problem.Cause);
        _console.WriteLine("  fix:   " + problem.Fix);
    }
}
