namespace Plugboard.Compatibility;

/// <summary>One change of a host API build that breaks plugins built against the previous build (what <c>plugboard api-check</c> lists).</summary>
internal sealed class HostApiBreak
{
    internal HostApiBreak(string typeName, string? member, string reason)
    {
        TypeName = typeName;
        Member = member;
        Reason = reason;
    }

    /// <summary>The full name of the old API's type concerned.</summary>
    public string TypeName { get; }

    /// <summary>The member concerned in C# syntax (return type, name, parameter types), or null when the change is the type's.</summary>
    public string? Member { get; }

    /// <summary>What changed and what it does to plugins.</summary>
    public string Reason { get; }

    /// <inheritdoc />
    public override string ToString() => Member is null ? $"{TypeName}: {Reason}" : $"{TypeName}: {Member}: {Reason}";
}
