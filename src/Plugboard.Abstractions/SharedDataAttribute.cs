namespace Plugboard;

/// <summary>
/// Marks a struct or enum of a host API as data shared with native plugins: the same layout on both sides, passed
/// by pointer (structs) or as its underlying integer (enums). A shared struct holds only integers, floats, bools,
/// shared enums and other shared structs, in sequential layout, and its first field is <c>uint StructSize</c> (the
/// struct_size rule: fields are only appended, and neither side reads past the size the other declared).
/// </summary>
[AttributeUsage(AttributeTargets.Struct | AttributeTargets.Enum, Inherited = false)]
public sealed class SharedDataAttribute : Attribute
{
}
