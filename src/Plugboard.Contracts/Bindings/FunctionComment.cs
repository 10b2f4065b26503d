using System.Text;

namespace Plugboard.Contracts.Bindings;

/// <summary>
/// The one comment line every emitted function carries: the summary, the thread rule and the ownership rule from the
/// host API's XML docs; where the docs state no ownership, the rule the shapes imply (the ABI's: inputs borrowed,
/// outputs copied into the caller's storage).
/// </summary>
internal static class FunctionComment
{
    public static string For(ContractMethod method)
    {
        var text = new StringBuilder();
        if (method.Documentation.Summary is { } summary)
        {
            text.Append(EndSentence(summary)).Append(' ');
        }
        text.Append("Thread: ").Append(EndSentence(method.Documentation.Thread ?? "not stated by the host API")).Append(' ');
        text.Append("Ownership: ").Append(EndSentence(method.Documentation.Ownership ?? ImpliedOwnership(method)));
        return text.ToString();
    }

    public static string ImpliedOwnership(ContractMethod method)
    {
        var parts = new List<string>();
        foreach (ContractParameter parameter in method.Parameters)
        {
            string name = NativeNames.Identifier(parameter.Name);
            parts.Add(parameter.Shape.Kind switch
            {
                ShapeKind.Utf8String or ShapeKind.Struct => $"{name} borrowed for the call",
                ShapeKind.Span when parameter.Shape.IsWritable => $"{name} borrowed, written by the callee during the call",
                ShapeKind.Span => $"{name} borrowed for the call",
                ShapeKind.Handle => $"{name} borrowed for the call (never keep it)",
                _ => string.Empty,
            });
        }
        parts.Add(method.Returns.Kind switch
        {
            ShapeKind.Utf8String or ShapeKind.Span => "the result is copied into the caller's sink",
            ShapeKind.Struct => "*out_result is the caller's; the callee writes at most its struct_size bytes",
            ShapeKind.Void => string.Empty,
            _ => "*out_result is the caller's, written on success",
        });
        string joined = string.Join("; ", parts.Where(p => p.Length > 0));
        return joined.Length == 0 ? "nothing passed" : joined;
    }

    private static string EndSentence(string text) => text.EndsWith('.') ? text : text + ".";
}
