namespace Plugboard.Contracts.Layout;

/// <summary>One difference between two layouts, naming the first member that differs.</summary>
/// <param name="subject">The interface id, or the struct's or enum's full name.</param>
/// <param name="kind">What happened.</param>
/// <param name="member">The first member that differs (as the host author knows it), or null when the whole subject changed.</param>
/// <param name="message">What changed, and what to do.</param>
public sealed class LayoutChange(string subject, LayoutChangeKind kind, string? member, string message)
{
    /// <summary>The interface id, or the struct's or enum's full name.</summary>
    public string Subject { get; } = subject;

    /// <summary>What happened.</summary>
    public LayoutChangeKind Kind { get; } = kind;

    /// <summary>The first member that differs, or null.</summary>
    public string? Member { get; } = member;

    /// <summary>What changed, and what to do.</summary>
    public string Message { get; } = message;

    /// <summary>Whether plugins built against the old layout still work with the new one.</summary>
    public bool IsCompatible => Kind == LayoutChangeKind.Appended;

    /// <inheritdoc />
    public override string ToString() => Member is null ? $"{Subject}: {Message}" : $"{Subject}: {Member}: {Message}";
}
