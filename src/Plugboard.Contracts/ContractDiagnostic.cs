namespace Plugboard.Contracts;

/// <summary>A problem of the host API's exported surface, naming the member and what to do.</summary>
/// <param name="id">The stable id (<see cref="ContractDiagnosticIds"/>).</param>
/// <param name="severity">Whether it stops the bindings.</param>
/// <param name="member">The member, as the host author knows it (<c>Notebook.Api.INotebookNotes.AddTag(char)</c>).</param>
/// <param name="message">What is wrong and how to fix it.</param>
public sealed class ContractDiagnostic(string id, ContractDiagnosticSeverity severity, string member, string message)
{
    /// <summary>The stable id.</summary>
    public string Id { get; } = id;

    /// <summary>Whether it stops the bindings.</summary>
    public ContractDiagnosticSeverity Severity { get; } = severity;

    /// <summary>The member.</summary>
    public string Member { get; } = member;

    /// <summary>What is wrong and how to fix it.</summary>
    public string Message { get; } = message;

    /// <summary><c>PLUGBOARD010 error: Member: message</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Id} {(Severity == ContractDiagnosticSeverity.Error ? "error" : "warning")}: {Member}: {Message}";
}
