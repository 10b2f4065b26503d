using System.Collections.Immutable;
using System.Reflection.Metadata;

namespace Plugboard.Metadata;

/// <summary>
/// Renders signatures as canonical text, without assembly names, so that a member reference in a plugin
/// and the member's definition in the host API compare equal exactly when the runtime would bind them.
/// </summary>
internal sealed class SignatureText : ISignatureTypeProvider<string, object?>, ICustomAttributeTypeProvider<string>
{
    public static readonly SignatureText Instance = new();

    /// <summary>Deepest nesting of types (nested classes, scopes, specifications) accepted; real code stays far below.</summary>
    private const int MaxNesting = 64;

    [ThreadStatic]
    private static int _specificationDepth;

    public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode switch
    {
        PrimitiveTypeCode.Boolean => "System.Boolean",
        PrimitiveTypeCode.Byte => "System.Byte",
        PrimitiveTypeCode.SByte => "System.SByte",
        PrimitiveTypeCode.Char => "System.Char",
        PrimitiveTypeCode.Int16 => "System.Int16",
        PrimitiveTypeCode.UInt16 => "System.UInt16",
        PrimitiveTypeCode.Int32 => "System.Int32",
        PrimitiveTypeCode.UInt32 => "System.UInt32",
        PrimitiveTypeCode.Int64 => "System.Int64",
        PrimitiveTypeCode.UInt64 => "System.UInt64",
        PrimitiveTypeCode.Single => "System.Single",
        PrimitiveTypeCode.Double => "System.Double",
        PrimitiveTypeCode.IntPtr => "System.IntPtr",
        PrimitiveTypeCode.UIntPtr => "System.UIntPtr",
        PrimitiveTypeCode.Object => "System.Object",
        PrimitiveTypeCode.String => "System.String",
        PrimitiveTypeCode.TypedReference => "System.TypedReference",
        PrimitiveTypeCode.Void => "System.Void",
        _ => typeCode.ToString(),
    };

    public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => FullName(reader, handle);

    public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => FullName(reader, handle);

    public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind)
    {
        // A corrupt image can make a specification refer to itself: bound the recursion instead of overflowing the stack.
        if (++_specificationDepth > MaxNesting)
        {
            _specificationDepth = 0;
            throw new BadImageFormatException("A type specification nests too deeply (a cycle in the metadata).");
        }
        try
        {
            return reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
        }
        finally
        {
            _specificationDepth = Math.Max(0, _specificationDepth - 1);
        }
    }

    public string GetSZArrayType(string elementType) => elementType + "[]";

    public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[" + new string(',', shape.Rank - 1) + "]";

    public string GetByReferenceType(string elementType) => elementType + "&";

    public string GetPointerType(string elementType) => elementType + "*";

    public string GetPinnedType(string elementType) => elementType;

    public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => genericType + "<" + string.Join(",", typeArguments) + ">";

    public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;

    public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;

    // modreq changes binding (init-only setters, 'in' parameters); modopt does not.
    public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => isRequired ? unmodifiedType + " modreq(" + modifier + ")" : unmodifiedType;

    public string GetFunctionPointerType(MethodSignature<string> signature) => "method " + Method(signature);

    public string GetSystemType() => "System.Type";

    public bool IsSystemType(string type) => type == "System.Type";

    public string GetTypeFromSerializedName(string name) => name;

    public PrimitiveTypeCode GetUnderlyingEnumType(string type) => PrimitiveTypeCode.Int32;

    public static string Method(MethodSignature<string> signature)
    {
        string generic = signature.GenericParameterCount > 0 ? "`" + signature.GenericParameterCount : string.Empty;
        string instance = signature.Header.IsInstance ? "instance " : "static ";
        return instance + generic + "(" + string.Join(",", signature.ParameterTypes) + ")" + signature.ReturnType;
    }

    public static string FullName(MetadataReader reader, TypeDefinitionHandle handle)
    {
        string name = string.Empty;
        for (int depth = 0; depth < MaxNesting; depth++)
        {
            TypeDefinition type = reader.GetTypeDefinition(handle);
            name = name.Length == 0 ? reader.GetString(type.Name) : reader.GetString(type.Name) + "+" + name;
            TypeDefinitionHandle declaring = type.GetDeclaringType();
            if (declaring.IsNil)
            {
                string ns = reader.GetString(type.Namespace);
                return ns.Length == 0 ? name : ns + "." + name;
            }
            handle = declaring;
        }
        throw new BadImageFormatException("Nested types nest too deeply (a cycle in the metadata).");
    }

    public static string FullName(MetadataReader reader, TypeReferenceHandle handle)
    {
        string name = string.Empty;
        for (int depth = 0; depth < MaxNesting; depth++)
        {
            TypeReference type = reader.GetTypeReference(handle);
            name = name.Length == 0 ? reader.GetString(type.Name) : reader.GetString(type.Name) + "+" + name;
            if (type.ResolutionScope.Kind != HandleKind.TypeReference)
            {
                string ns = reader.GetString(type.Namespace);
                return ns.Length == 0 ? name : ns + "." + name;
            }
            handle = (TypeReferenceHandle)type.ResolutionScope;
        }
        throw new BadImageFormatException("Type references nest too deeply (a cycle in the metadata).");
    }

    /// <summary>The assembly a type reference points into, following nesting; null when it is not an assembly reference.</summary>
    public static string? ScopeAssembly(MetadataReader reader, TypeReferenceHandle handle)
    {
        EntityHandle scope = reader.GetTypeReference(handle).ResolutionScope;
        for (int depth = 0; scope.Kind == HandleKind.TypeReference; depth++)
        {
            if (depth == MaxNesting)
            {
                throw new BadImageFormatException("Type references nest too deeply (a cycle in the metadata).");
            }
            scope = reader.GetTypeReference((TypeReferenceHandle)scope).ResolutionScope;
        }
        return scope.Kind == HandleKind.AssemblyReference
            ? reader.GetString(reader.GetAssemblyReference((AssemblyReferenceHandle)scope).Name)
            : null;
    }
}
