namespace Plugboard.Contracts;

/// <summary>One field of a shared struct.</summary>
/// <param name="name">The C# field name.</param>
/// <param name="shape">Its shape: a scalar, a shared enum or a shared struct (inline).</param>
/// <param name="offset">Its offset in bytes on a 64-bit target (C layout, natural alignment).</param>
/// <param name="documentation">What the XML docs say.</param>
public sealed class SharedField(string name, ContractShape shape, int offset, MemberDocumentation documentation)
{
    /// <summary>The C# field name.</summary>
    public string Name { get; } = name;

    /// <summary>Its shape.</summary>
    public ContractShape Shape { get; } = shape;

    /// <summary>Its offset in bytes on a 64-bit target.</summary>
    public int Offset { get; } = offset;

    /// <summary>What the XML docs say.</summary>
    public MemberDocumentation Documentation { get; } = documentation;

    /// <summary>The canonical text the struct's hash covers: <c>f64 X</c>.</summary>
    public string Signature => Shape.Canonical + " " + Name;
}
