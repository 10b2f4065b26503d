namespace Plugboard.Contracts;

/// <summary>A <c>[SharedData]</c> struct: the same layout in the host and in every plugin, passed by pointer.</summary>
public sealed class SharedStruct
{
    /// <summary>Creates a struct.</summary>
    /// <param name="fullName">The C# full name.</param>
    /// <param name="fields">The fields in order; the first is <c>uint StructSize</c>.</param>
    /// <param name="size">Its size in bytes on a 64-bit target.</param>
    /// <param name="alignment">Its alignment in bytes.</param>
    /// <param name="documentation">What the XML docs say.</param>
    public SharedStruct(string fullName, IReadOnlyList<SharedField> fields, int size, int alignment, MemberDocumentation documentation)
    {
        ArgumentNullException.ThrowIfNull(fields);
        FullName = fullName;
        Fields = fields;
        Size = size;
        Alignment = alignment;
        Documentation = documentation;
        LayoutHash = Layout.LayoutHash.Of(Layout.LayoutHash.StructText(fullName, fields.Count, fields));
    }

    /// <summary>The C# full name.</summary>
    public string FullName { get; }

    /// <summary>The simple C# name.</summary>
    public string Name => FullName[(FullName.LastIndexOf('.') + 1)..];

    /// <summary>The fields in order.</summary>
    public IReadOnlyList<SharedField> Fields { get; }

    /// <summary>Its size in bytes on a 64-bit target.</summary>
    public int Size { get; }

    /// <summary>Its alignment in bytes.</summary>
    public int Alignment { get; }

    /// <summary>What the XML docs say.</summary>
    public MemberDocumentation Documentation { get; }

    /// <summary>The layout hash: the name and every field's shape and name, in order.</summary>
    public ulong LayoutHash { get; }

    /// <inheritdoc />
    public override string ToString() => FullName;
}
