using System.Collections.Immutable;
using System.Reflection.Metadata;

namespace Plugboard.Contracts.Reading;

/// <summary>Turns signature blobs into <see cref="DecodedType"/>s; names are resolved without loading anything.</summary>
internal sealed class SignatureDecoder : ISignatureTypeProvider<DecodedType, object?>
{
    public static readonly SignatureDecoder Instance = new();

    public DecodedType GetPrimitiveType(PrimitiveTypeCode typeCode) => new PrimitiveType(typeCode);

    public DecodedType GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => new NamedType(TypeNames.Of(reader, handle), handle);

    public DecodedType GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => new NamedType(TypeNames.Of(reader, handle), default);

    public DecodedType GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
        reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

    public DecodedType GetSZArrayType(DecodedType elementType) => new ArrayType(elementType);

    public DecodedType GetArrayType(DecodedType elementType, ArrayShape shape) => new OtherType($"{elementType.Display}[{new string(',', shape.Rank - 1)}]");

    public DecodedType GetByReferenceType(DecodedType elementType) => new ByRefType(elementType);

    public DecodedType GetPointerType(DecodedType elementType) => new OtherType(elementType.Display + "*");

    public DecodedType GetFunctionPointerType(MethodSignature<DecodedType> signature) => new OtherType("delegate*");

    public DecodedType GetGenericInstantiation(DecodedType genericType, ImmutableArray<DecodedType> typeArguments) => new GenericType(genericType, typeArguments);

    public DecodedType GetGenericMethodParameter(object? genericContext, int index) => new OtherType("!!" + index);

    public DecodedType GetGenericTypeParameter(object? genericContext, int index) => new OtherType("!" + index);

    // An init accessor's return type carries modreq(IsExternalInit): kept, so the reader can leave init accessors out of a
    // class's table (they run only while the object is made). Every other modifier is dropped.
    public DecodedType GetModifiedType(DecodedType modifier, DecodedType unmodifiedType, bool isRequired) =>
        isRequired && modifier is NamedType { FullName: "System.Runtime.CompilerServices.IsExternalInit" } ? new InitOnlyType(unmodifiedType) : unmodifiedType;

    public DecodedType GetPinnedType(DecodedType elementType) => elementType;
}
