using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;

namespace Plugboard.Metadata;

/// <summary>
/// The assemblies an assembly's public surface exposes: named by its public types' base types, interfaces and
/// generic constraints, by the signatures of their public and protected members, and by its type forwarders.
/// A type of one of these crosses the host/plugin boundary, so it must keep one identity (be shared); an assembly
/// the API only uses inside its code need not be, and a plugin may bring its own version of it.
/// </summary>
internal sealed class SurfaceReferences : ISignatureTypeProvider<bool, object?>
{
    private readonly Dictionary<string, HashSet<string>> _types = new(StringComparer.OrdinalIgnoreCase);
    private MetadataReader _reader = null!;

    /// <summary>The assemblies the public surface exposes.</summary>
    public static IReadOnlySet<string> Read(MetadataReader reader) => ReadTypes(reader).Keys.ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>The types of other assemblies the public surface exposes, by assembly simple name.</summary>
    public static Dictionary<string, HashSet<string>> ReadTypes(MetadataReader reader)
    {
        var collector = new SurfaceReferences { _reader = reader };
        collector.Collect();
        return collector._types;
    }

    private void Add(string assembly, string type)
    {
        if (!_types.TryGetValue(assembly, out HashSet<string>? types))
        {
            _types[assembly] = types = new HashSet<string>(StringComparer.Ordinal);
        }
        types.Add(type);
    }

    private void Collect()
    {
        foreach (ExportedTypeHandle handle in _reader.ExportedTypes)
        {
            ExportedType exported = _reader.GetExportedType(handle);
            if (exported.Implementation.Kind == HandleKind.AssemblyReference)
            {
                string ns = _reader.GetString(exported.Namespace);
                Add(_reader.GetString(_reader.GetAssemblyReference((AssemblyReferenceHandle)exported.Implementation).Name),
                    ns.Length == 0 ? _reader.GetString(exported.Name) : ns + "." + _reader.GetString(exported.Name));
            }
        }
        foreach (TypeDefinitionHandle handle in _reader.TypeDefinitions)
        {
            TypeDefinition type = _reader.GetTypeDefinition(handle);
            if (!IsVisible(type))
            {
                continue;
            }
            AddType(type.BaseType);
            foreach (InterfaceImplementationHandle implementation in type.GetInterfaceImplementations())
            {
                AddType(_reader.GetInterfaceImplementation(implementation).Interface);
            }
            foreach (GenericParameterHandle parameter in type.GetGenericParameters())
            {
                AddConstraints(parameter);
            }
            foreach (MethodDefinitionHandle methodHandle in type.GetMethods())
            {
                MethodDefinition method = _reader.GetMethodDefinition(methodHandle);
                if (IsVisible((int)(method.Attributes & MethodAttributes.MemberAccessMask)))
                {
                    method.DecodeSignature(this, null);
                    foreach (GenericParameterHandle parameter in method.GetGenericParameters())
                    {
                        AddConstraints(parameter);
                    }
                }
            }
            foreach (FieldDefinitionHandle fieldHandle in type.GetFields())
            {
                FieldDefinition field = _reader.GetFieldDefinition(fieldHandle);
                if (IsVisible((int)(field.Attributes & FieldAttributes.FieldAccessMask)))
                {
                    field.DecodeSignature(this, null);
                }
            }
        }
    }

    // Public (6), protected (4) and protected internal (5) members are visible to a plugin.
    private static bool IsVisible(int access) => access is 4 or 5 or 6;

    private bool IsVisible(TypeDefinition type)
    {
        for (int depth = 0; depth < 64; depth++)
        {
            TypeAttributes visibility = type.Attributes & TypeAttributes.VisibilityMask;
            if (visibility == TypeAttributes.Public)
            {
                return true;
            }
            if (visibility is not (TypeAttributes.NestedPublic or TypeAttributes.NestedFamily or TypeAttributes.NestedFamORAssem))
            {
                return false;
            }
            type = _reader.GetTypeDefinition(type.GetDeclaringType());
        }
        return false;
    }

    private void AddConstraints(GenericParameterHandle handle)
    {
        foreach (GenericParameterConstraintHandle constraint in _reader.GetGenericParameter(handle).GetConstraints())
        {
            AddType(_reader.GetGenericParameterConstraint(constraint).Type);
        }
    }

    private void AddType(EntityHandle handle)
    {
        switch (handle.Kind)
        {
            case HandleKind.TypeReference:
                GetTypeFromReference(_reader, (TypeReferenceHandle)handle, 0);
                break;
            case HandleKind.TypeSpecification:
                GetTypeFromSpecification(_reader, null, (TypeSpecificationHandle)handle, 0);
                break;
        }
    }

    public bool GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
    {
        if (SignatureText.ScopeAssembly(reader, handle) is string assembly)
        {
            Add(assembly, SignatureText.FullName(reader, handle));
        }
        return true;
    }

    public bool GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
        reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

    public bool GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => true;

    public bool GetPrimitiveType(PrimitiveTypeCode typeCode) => true;

    public bool GetSZArrayType(bool elementType) => true;

    public bool GetArrayType(bool elementType, ArrayShape shape) => true;

    public bool GetByReferenceType(bool elementType) => true;

    public bool GetPointerType(bool elementType) => true;

    public bool GetPinnedType(bool elementType) => true;

    public bool GetGenericInstantiation(bool genericType, ImmutableArray<bool> typeArguments) => true;

    public bool GetGenericTypeParameter(object? genericContext, int index) => true;

    public bool GetGenericMethodParameter(object? genericContext, int index) => true;

    public bool GetModifiedType(bool modifier, bool unmodifiedType, bool isRequired) => true;

    public bool GetFunctionPointerType(MethodSignature<bool> signature) => true;
}
