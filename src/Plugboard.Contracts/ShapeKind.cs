namespace Plugboard.Contracts;

/// <summary>How a parameter, return value or field crosses the boundary.</summary>
public enum ShapeKind
{
    /// <summary>No value (a method returning only its status).</summary>
    Void,
    /// <summary>An integer, float or bool, by value (returned through an out pointer).</summary>
    Scalar,
    /// <summary>A <c>[SharedData]</c> enum, as its underlying integer.</summary>
    Enum,
    /// <summary>A <c>[SharedData]</c> struct, by pointer (borrowed in; written by the callee through the caller's pointer out).</summary>
    Struct,
    /// <summary>A string: UTF-8 (pointer, length) in, borrowed; out through the caller's sink (<c>pb_write_fn</c>).</summary>
    Utf8String,
    /// <summary>A span or array of scalars, enums or structs: (pointer, length). A <c>byte[]</c> return goes through the caller's sink.</summary>
    Span,
    /// <summary>An object behind an <c>[ExportedInterface]</c>, as an opaque handle: its context and its table.</summary>
    Handle,
}
