using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace Plugboard.Contracts.Reading;

/// <summary>
/// The XML documentation file the compiler writes beside the host API (<c>Notebook.Api.xml</c>), by documentation id
/// (<c>M:Notebook.Api.INotebookNotes.AddTag(System.String)</c>). A missing file means no documentation (<see cref="Empty"/>), not an error.
/// </summary>
internal sealed partial class XmlDocumentation
{
    private readonly Dictionary<string, XElement> _members;

    private XmlDocumentation(Dictionary<string, XElement> members) => _members = members;

    public static XmlDocumentation Empty { get; } = new(new Dictionary<string, XElement>(StringComparer.Ordinal));

    /// <summary>Parses a documentation file's text (the caller reads it: the source generator gets it from the compilation, not from disk).</summary>
    public static XmlDocumentation Parse(TextReader text)
    {
        // No DTDs, no external entities: the file is data from a build, read as such.
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        using XmlReader reader = XmlReader.Create(text, settings);
        XDocument document = XDocument.Load(reader);
        var members = new Dictionary<string, XElement>(StringComparer.Ordinal);
        foreach (XElement member in document.Descendants("member"))
        {
            if (member.Attribute("name")?.Value is { } name)
            {
                members[name] = member;
            }
        }
        return new XmlDocumentation(members);
    }

    public MemberDocumentation For(string documentationId)
    {
        if (!_members.TryGetValue(documentationId, out XElement? member))
        {
            return MemberDocumentation.None;
        }
        return new MemberDocumentation(Text(member.Element("summary")), Text(member.Element("thread")), Text(member.Element("ownership")));
    }

    private static string? Text(XElement? element)
    {
        if (element is null)
        {
            return null;
        }
        var text = new StringBuilder();
        foreach (XNode node in element.Nodes())
        {
            text.Append(node switch
            {
                XText plain => plain.Value,
                XElement { Name.LocalName: "see" or "seealso" } see => see.Attribute("cref")?.Value is { } cref ? ShortName(cref) : see.Attribute("langword")?.Value ?? see.Value,
                XElement { Name.LocalName: "paramref" or "typeparamref" } reference => reference.Attribute("name")?.Value ?? string.Empty,
                XElement other => other.Value,
                _ => string.Empty,
            });
        }
        string collapsed = Whitespace().Replace(text.ToString(), " ").Trim();
        return collapsed.Length == 0 ? null : collapsed;
    }

    // "M:Notebook.Api.TextTools.CountWords(System.String)" reads as "TextTools.CountWords".
    private static string ShortName(string cref)
    {
        string name = cref.Length > 2 && cref[1] == ':' ? cref[2..] : cref;
        int paren = name.IndexOf('(', StringComparison.Ordinal);
        if (paren >= 0)
        {
            name = name[..paren];
        }
        string[] parts = name.Split('.');
        return parts.Length >= 2 && cref.StartsWith("T:", StringComparison.Ordinal) ? parts[^1] : string.Join('.', parts.TakeLast(2));
    }

#if NET
    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
#else
    // The source generator's netstandard2.0 build has no regex generator: the same pattern, built once.
    private static readonly Regex WhitespaceRegex = new(@"\s+");

    private static Regex Whitespace() => WhitespaceRegex;
#endif
}
