namespace Plugboard.Contracts;

/// <summary>Whether a diagnostic stops the bindings from being emitted.</summary>
public enum ContractDiagnosticSeverity
{
    /// <summary>The bindings are emitted; something is worth fixing (a member without a thread rule).</summary>
    Warning,
    /// <summary>No bindings are emitted: they would be wrong.</summary>
    Error,
}
