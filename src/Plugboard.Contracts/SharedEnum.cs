namespace Plugboard.Contracts;

/// <summary>A <c>[SharedData]</c> enum: crosses as its underlying integer; the other side may see values it does not know.</summary>
public sealed class SharedEnum
{
    /// <summary>Creates an enum.</summary>
    /// <param name="fullName">The C# full name.</param>
    /// <param name="underlying">The underlying integer.</param>
    /// <param name="members">The named values, in declaration order.</param>
    /// <param name="documentation">What the XML docs say.</param>
    public SharedEnum(string fullName, ScalarType underlying, IReadOnlyList<SharedEnumMember> members, MemberDocumentation documentation)
    {
        ArgumentNullException.ThrowIfNull(members);
        FullName = fullName;
        Underlying = underlying;
        Members = members;
        Documentation = documentation;
        LayoutHash = Layout.LayoutHash.Of(Layout.LayoutHash.EnumText(this));
    }

    /// <summary>The C# full name.</summary>
    public string FullName { get; }

    /// <summary>The simple C# name.</summary>
    public string Name => FullName[(FullName.LastIndexOf('.') + 1)..];

    /// <summary>The underlying integer.</summary>
    public ScalarType Underlying { get; }

    /// <summary>The named values, in declaration order.</summary>
    public IReadOnlyList<SharedEnumMember> Members { get; }

    /// <summary>What the XML docs say.</summary>
    public MemberDocumentation Documentation { get; }

    /// <summary>The layout hash: the name, the underlying type and every name and value.</summary>
    public ulong LayoutHash { get; }

    /// <inheritdoc />
    public override string ToString() => FullName;
}
