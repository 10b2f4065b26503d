using System.Collections.Immutable;
using System.Reflection.Metadata;

namespace Plugboard.Metadata;

/// <summary>
/// Renders signatures as canonical text, without assembly names, so that a member reference in a plugin
/// and the member's definition in the host API compare equal exactly when the runtime would bind them.
/// </summary>
internal sealed partial class SignatureText : ISignatureTypeProvider<string, object?>, ICustomAttributeTypeProvider<string>
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

    // A signature says whether it means a class or a value type, and the runtime binds by that too (a class that
    // became a struct breaks every signature naming it): value types carry a marker that Display removes.
    public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => Kind(rawTypeKind) + FullName(reader, handle);

    public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => Kind(rawTypeKind) + FullName(reader, handle);

    private const string ValueTypeMarker = "valuetype ";

    private static string Kind(byte rawTypeKind) => rawTypeKind == (byte)SignatureTypeKind.ValueType ? ValueTypeMarker : string.Empty;

    /// <summary>
    /// Signature text as messages show it, in C# syntax: keywords for the built-in types, generic types without
    /// their arity suffix (<c>System.Collections.Generic.List&lt;int&gt;</c>), no value-type marker.
    /// </summary>
    public static string Display(string signatureText)
    {
        if (!signatureText.Contains("System.", StringComparison.Ordinal) && !signatureText.Contains('`', StringComparison.Ordinal) && !signatureText.Contains(ValueTypeMarker, StringComparison.Ordinal))
        {
            return signatureText;
        }
        string text = signatureText.Replace(ValueTypeMarker, string.Empty, StringComparison.Ordinal);
        text = Arity().Replace(text, string.Empty);
        return BuiltInType().Replace(text, m => Keywords[m.Groups[1].Value]);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"`\d+")]
    private static partial System.Text.RegularExpressions.Regex Arity();

    [System.Text.RegularExpressions.GeneratedRegex(@"\bSystem\.(Boolean|Byte|SByte|Char|Int16|UInt16|Int32|UInt32|Int64|UInt64|Single|Double|Decimal|Object|String|Void)\b(?![.+`])")]
    private static partial System.Text.RegularExpressions.Regex BuiltInType();

    private static readonly Dictionary<string, string> Keywords = new(StringComparer.Ordinal)
    {
        ["Boolean"] = "bool", ["Byte"] = "byte", ["SByte"] = "sbyte", ["Char"] = "char", ["Int16"] = "short", ["UInt16"] = "ushort",
        ["Int32"] = "int", ["UInt32"] = "uint", ["Int64"] = "long", ["UInt64"] = "ulong", ["Single"] = "float", ["Double"] = "double",
        ["Decimal"] = "decimal", ["Object"] = "object", ["String"] = "string", ["Void"] = "void",
    };

    /// <summary>
    /// Replaces a generic type's parameters (<c>!0</c>, <c>!1</c>...) in signature text by the arguments of one
    /// instantiation, so an interface member's signature reads as the implementing type must spell it.
    /// </summary>
    public static string Substitute(string signatureText, IReadOnlyList<string> arguments)
    {
        if (arguments.Count == 0 || !signatureText.Contains('!', StringComparison.Ordinal))
        {
            return signatureText;
        }
        var text = new System.Text.StringBuilder(signatureText.Length + 32);
        for (int i = 0; i < signatureText.Length; i++)
        {
            char c = signatureText[i];
            if (c == '!' && i + 1 < signatureText.Length && signatureText[i + 1] == '!')
            {
                // A method's own type parameter (!!n) stays.
                text.Append("!!");
                i++;
                continue;
            }
            if (c == '!')
            {
                int start = i + 1, end = start;
                while (end < signatureText.Length && char.IsAsciiDigit(signatureText[end]))
                {
                    end++;
                }
                if (end > start && int.TryParse(signatureText.AsSpan(start, end - start), System.Globalization.CultureInfo.InvariantCulture, out int index) && index < arguments.Count)
                {
                    text.Append(arguments[index]);
                    i = end - 1;
                    continue;
                }
            }
            text.Append(c);
        }
        return text.ToString();
    }

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
