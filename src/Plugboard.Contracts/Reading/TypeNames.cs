using System.Reflection.Metadata;

namespace Plugboard.Contracts.Reading;

/// <summary>Full names of types in metadata, nested types joined with a dot (as C# and XML documentation ids write them).</summary>
internal static class TypeNames
{
    public static string Of(MetadataReader reader, TypeDefinitionHandle handle)
    {
        TypeDefinition type = reader.GetTypeDefinition(handle);
        string name = reader.GetString(type.Name);
        TypeDefinitionHandle declaring = type.GetDeclaringType();
        if (!declaring.IsNil)
        {
            return Of(reader, declaring) + "." + name;
        }
        string ns = reader.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    public static string Of(MetadataReader reader, TypeReferenceHandle handle)
    {
        TypeReference type = reader.GetTypeReference(handle);
        string name = reader.GetString(type.Name);
        if (type.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            return Of(reader, (TypeReferenceHandle)type.ResolutionScope) + "." + name;
        }
        string ns = reader.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    public static string Of(MetadataReader reader, EntityHandle handle) => handle.Kind switch
    {
        HandleKind.TypeDefinition => Of(reader, (TypeDefinitionHandle)handle),
        HandleKind.TypeReference => Of(reader, (TypeReferenceHandle)handle),
        _ => string.Empty,
    };

    /// <summary>The full name of the type whose constructor <paramref name="constructor"/> is (an attribute's type).</summary>
    public static string OfConstructor(MetadataReader reader, EntityHandle constructor) => constructor.Kind switch
    {
        HandleKind.MemberReference => Of(reader, reader.GetMemberReference((MemberReferenceHandle)constructor).Parent),
        HandleKind.MethodDefinition => Of(reader, reader.GetMethodDefinition((MethodDefinitionHandle)constructor).GetDeclaringType()),
        _ => string.Empty,
    };
}
