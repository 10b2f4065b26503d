using System.Collections.Immutable;
using System.Reflection.Metadata;

namespace Plugboard.Contracts.Reading;

/// <summary>A type of a signature, as metadata states it (before it is judged as a shape).</summary>
internal abstract record DecodedType
{
    /// <summary>C#-like text, for messages.</summary>
    public abstract string Display { get; }

    /// <summary>The text XML documentation ids use for the type (<c>System.ReadOnlySpan{System.Byte}</c>).</summary>
    public abstract string DocId { get; }
}

internal sealed record PrimitiveType(PrimitiveTypeCode Code) : DecodedType
{
    public override string Display => Code switch
    {
        PrimitiveTypeCode.Boolean => "bool",
        PrimitiveTypeCode.Byte => "byte",
        PrimitiveTypeCode.SByte => "sbyte",
        PrimitiveTypeCode.Char => "char",
        PrimitiveTypeCode.Int16 => "short",
        PrimitiveTypeCode.UInt16 => "ushort",
        PrimitiveTypeCode.Int32 => "int",
        PrimitiveTypeCode.UInt32 => "uint",
        PrimitiveTypeCode.Int64 => "long",
        PrimitiveTypeCode.UInt64 => "ulong",
        PrimitiveTypeCode.Single => "float",
        PrimitiveTypeCode.Double => "double",
        PrimitiveTypeCode.IntPtr => "nint",
        PrimitiveTypeCode.UIntPtr => "nuint",
        PrimitiveTypeCode.Object => "object",
        PrimitiveTypeCode.String => "string",
        PrimitiveTypeCode.Void => "void",
        _ => Code.ToString(),
    };

    public override string DocId => "System." + Code switch
    {
        PrimitiveTypeCode.Single => "Single",
        PrimitiveTypeCode.IntPtr => "IntPtr",
        PrimitiveTypeCode.UIntPtr => "UIntPtr",
        _ => Code.ToString(),
    };
}

/// <summary>A named type: defined in the host API (<paramref name="Definition"/> set) or referenced from elsewhere.</summary>
internal sealed record NamedType(string FullName, TypeDefinitionHandle Definition) : DecodedType
{
    public override string Display => FullName;

    public override string DocId => FullName;
}

internal sealed record GenericType(DecodedType Definition, ImmutableArray<DecodedType> Arguments) : DecodedType
{
    public override string Display => $"{Strip(Definition.Display)}<{string.Join(", ", Arguments.Select(a => a.Display))}>";

    public override string DocId => $"{Strip(Definition.DocId)}{{{string.Join(",", Arguments.Select(a => a.DocId))}}}";

    public string DefinitionName => Strip(Definition.Display);

    private static string Strip(string name) => name.Contains('`', StringComparison.Ordinal) ? name[..name.IndexOf('`', StringComparison.Ordinal)] : name;
}

internal sealed record ArrayType(DecodedType Element) : DecodedType
{
    public override string Display => Element.Display + "[]";

    public override string DocId => Element.DocId + "[]";
}

internal sealed record ByRefType(DecodedType Element) : DecodedType
{
    public override string Display => "ref " + Element.Display;

    public override string DocId => Element.DocId + "@";
}

/// <summary>The return type of an <c>init</c> accessor (<c>void modreq(IsExternalInit)</c>).</summary>
internal sealed record InitOnlyType(DecodedType Element) : DecodedType
{
    public override string Display => Element.Display;

    public override string DocId => Element.DocId;
}

/// <summary>Anything else (pointers, function pointers, generic parameters, multi-dimensional arrays): never a supported shape.</summary>
internal sealed record OtherType(string Text) : DecodedType
{
    public override string Display => Text;

    public override string DocId => Text;
}
