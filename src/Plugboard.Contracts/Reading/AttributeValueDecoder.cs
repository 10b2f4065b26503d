using System.Reflection.Metadata;

namespace Plugboard.Contracts.Reading;

/// <summary>Decodes the fixed arguments of the marker attributes (a string id); other argument types are never needed.</summary>
internal sealed class AttributeValueDecoder : ICustomAttributeTypeProvider<string>
{
    public static readonly AttributeValueDecoder Instance = new();

    public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();

    public string GetSystemType() => "System.Type";

    public string GetSZArrayType(string elementType) => elementType + "[]";

    public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => TypeNames.Of(reader, handle);

    public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => TypeNames.Of(reader, handle);

    public string GetTypeFromSerializedName(string name) => name;

    public PrimitiveTypeCode GetUnderlyingEnumType(string type) => PrimitiveTypeCode.Int32;

    public bool IsSystemType(string type) => type == "System.Type";
}
