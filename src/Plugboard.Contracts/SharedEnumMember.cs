namespace Plugboard.Contracts;

/// <summary>One named value of a shared enum.</summary>
/// <param name="name">The C# name.</param>
/// <param name="value">The value (an unsigned 64-bit value above <see cref="long.MaxValue"/> is stored wrapped).</param>
/// <param name="documentation">What the XML docs say.</param>
public sealed class SharedEnumMember(string name, long value, MemberDocumentation documentation)
{
    /// <summary>The C# name.</summary>
    public string Name { get; } = name;

    /// <summary>The value.</summary>
    public long Value { get; } = value;

    /// <summary>What the XML docs say.</summary>
    public MemberDocumentation Documentation { get; } = documentation;
}
