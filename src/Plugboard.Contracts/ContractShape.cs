namespace Plugboard.Contracts;

/// <summary>The shape of one parameter, return value or struct field: what crosses the boundary and how.</summary>
public sealed class ContractShape
{
    private ContractShape(ShapeKind kind, string canonical, string display)
    {
        Kind = kind;
        Canonical = canonical;
        Display = display;
    }

    /// <summary>How the value crosses.</summary>
    public ShapeKind Kind { get; }

    /// <summary>The scalar (for <see cref="ShapeKind.Scalar"/>) or the enum's underlying integer (for <see cref="ShapeKind.Enum"/>).</summary>
    public ScalarType Scalar { get; private init; }

    /// <summary>The full C# name of the enum, struct or interface (for enums, structs and handles); otherwise null.</summary>
    public string? TypeName { get; private init; }

    /// <summary>The versioned id of the interface a handle points to; otherwise null.</summary>
    public string? InterfaceId { get; private init; }

    /// <summary>The element of a span; otherwise null.</summary>
    public ContractShape? Element { get; private init; }

    /// <summary>Whether the callee may write the span's elements (<c>Span&lt;T&gt;</c>, as opposed to <c>ReadOnlySpan&lt;T&gt;</c> or an array).</summary>
    public bool IsWritable { get; private init; }

    /// <summary>The ABI text the layout hashes are computed from: <c>i32</c>, <c>utf8</c>, <c>span&lt;struct Ns.Point&gt;</c>, <c>handle notebook.store/1</c>.</summary>
    public string Canonical { get; }

    /// <summary>The C# type as the host author wrote it, for messages.</summary>
    public string Display { get; }

    /// <summary>No value.</summary>
    public static ContractShape Void { get; } = new(ShapeKind.Void, "void", "void");

    /// <summary>UTF-8 text.</summary>
    public static ContractShape Utf8String { get; } = new(ShapeKind.Utf8String, "utf8", "string");

    /// <summary>A scalar.</summary>
    /// <param name="scalar">Which one.</param>
    /// <returns>The shape.</returns>
    public static ContractShape ForScalar(ScalarType scalar) => new(ShapeKind.Scalar, ScalarText(scalar), CSharpKeyword(scalar)) { Scalar = scalar };

    /// <summary>A shared enum.</summary>
    /// <param name="typeName">Its full C# name.</param>
    /// <param name="underlying">Its underlying integer.</param>
    /// <returns>The shape.</returns>
    public static ContractShape ForEnum(string typeName, ScalarType underlying) => new(ShapeKind.Enum, "enum " + typeName, typeName) { TypeName = typeName, Scalar = underlying };

    /// <summary>A shared struct.</summary>
    /// <param name="typeName">Its full C# name.</param>
    /// <returns>The shape.</returns>
    public static ContractShape ForStruct(string typeName) => new(ShapeKind.Struct, "struct " + typeName, typeName) { TypeName = typeName };

    /// <summary>A handle to an exported interface.</summary>
    /// <param name="typeName">The interface's full C# name.</param>
    /// <param name="interfaceId">Its versioned id.</param>
    /// <returns>The shape.</returns>
    public static ContractShape ForHandle(string typeName, string interfaceId) => new(ShapeKind.Handle, "handle " + interfaceId, typeName) { TypeName = typeName, InterfaceId = interfaceId };

    /// <summary>A span of <paramref name="element"/>.</summary>
    /// <param name="element">A scalar, enum or struct shape.</param>
    /// <param name="writable">Whether the callee may write the elements.</param>
    /// <param name="display">The C# type as written.</param>
    /// <returns>The shape.</returns>
    public static ContractShape ForSpan(ContractShape element, bool writable, string display)
    {
        ArgumentNullException.ThrowIfNull(element);
        return new(ShapeKind.Span, (writable ? "mutspan<" : "span<") + element.Canonical + ">", display) { Element = element, IsWritable = writable };
    }

    /// <inheritdoc />
    public override string ToString() => Display;

    private static string ScalarText(ScalarType scalar) => scalar switch
    {
        ScalarType.Int8 => "i8",
        ScalarType.UInt8 => "u8",
        ScalarType.Int16 => "i16",
        ScalarType.UInt16 => "u16",
        ScalarType.Int32 => "i32",
        ScalarType.UInt32 => "u32",
        ScalarType.Int64 => "i64",
        ScalarType.UInt64 => "u64",
        ScalarType.IntPtr => "isize",
        ScalarType.UIntPtr => "usize",
        ScalarType.Float32 => "f32",
        ScalarType.Float64 => "f64",
        ScalarType.Bool => "bool",
        _ => throw new ArgumentOutOfRangeException(nameof(scalar)),
    };

    private static string CSharpKeyword(ScalarType scalar) => scalar switch
    {
        ScalarType.Int8 => "sbyte",
        ScalarType.UInt8 => "byte",
        ScalarType.Int16 => "short",
        ScalarType.UInt16 => "ushort",
        ScalarType.Int32 => "int",
        ScalarType.UInt32 => "uint",
        ScalarType.Int64 => "long",
        ScalarType.UInt64 => "ulong",
        ScalarType.IntPtr => "nint",
        ScalarType.UIntPtr => "nuint",
        ScalarType.Float32 => "float",
        ScalarType.Float64 => "double",
        ScalarType.Bool => "bool",
        _ => throw new ArgumentOutOfRangeException(nameof(scalar)),
    };
}
