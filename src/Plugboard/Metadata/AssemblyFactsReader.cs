using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;

namespace Plugboard.Metadata;

/// <summary>
/// Reads <see cref="AssemblyFacts"/> with System.Reflection.Metadata. Nothing is loaded into any
/// load context and no plugin code runs; files are read whole into memory and closed at once.
/// </summary>
internal static class AssemblyFactsReader
{
    private const string AbstractionsNamespace = "Plugboard";

    /// <summary>Reads a file. Throws <see cref="BadImageFormatException"/> or <see cref="IOException"/> when it is not a readable .NET assembly.</summary>
    public static AssemblyFacts ReadFile(string path) => ReadBytes(File.ReadAllBytes(path), path);

    /// <summary>Reads the bytes of a file already read (a plugin's snapshot). Throws <see cref="BadImageFormatException"/> when they are not a .NET assembly.</summary>
    public static AssemblyFacts ReadBytes(byte[] bytes, string path)
    {
        if (bytes.Length == 0)
        {
            throw new BadImageFormatException("The file is empty (0 bytes).");
        }
        using var pe = new PEReader(ImmutableCollectionsMarshal.AsImmutableArray(bytes));
        if (!pe.HasMetadata)
        {
            throw new BadImageFormatException(pe.PEHeaders.PEHeader is null
                ? "The file is not a PE image."
                : "The file is a native PE image without .NET metadata.");
        }
        MetadataReader reader = pe.GetMetadataReader();
        if (!reader.IsAssembly)
        {
            throw new BadImageFormatException("The file is a .NET module, not an assembly.");
        }
        bool hasCode = pe.PEHeaders.CorHeader is not null && HasMethodBodies(reader);
        return Read(reader, path, hasCode);
    }

    /// <summary>Reads the metadata of an assembly the host has loaded, straight from memory (works for assemblies loaded from streams too).</summary>
    public static unsafe AssemblyFacts ReadLoaded(Assembly assembly)
    {
        if (!assembly.TryGetRawMetadata(out byte* blob, out int length))
        {
            throw new InvalidOperationException($"The metadata of '{assembly.FullName}' is not available.");
        }
        // Safe for the reader's lifetime: the host's shared assemblies are never unloaded.
        var reader = new MetadataReader(blob, length);
        return Read(reader, assembly.Location, hasCode: true);
    }

    /// <summary>The assemblies a loaded assembly's public surface exposes (<see cref="SurfaceReferences"/>).</summary>
    public static IReadOnlySet<string> ReadSurfaceReferences(Assembly assembly) => ReadSurfaceTypes(assembly).Keys.ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>The types of other assemblies a loaded assembly's public surface exposes, by assembly (<see cref="SurfaceReferences"/>).</summary>
    public static unsafe Dictionary<string, HashSet<string>> ReadSurfaceTypes(Assembly assembly) =>
        assembly.TryGetRawMetadata(out byte* blob, out int length) ? SurfaceReferences.ReadTypes(new MetadataReader(blob, length)) : new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The assemblies an assembly file's public surface exposes (<see cref="SurfaceReferences"/>).</summary>
    public static IReadOnlySet<string> ReadSurfaceReferences(string path) => ReadSurfaceTypes(path).Keys.ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>The types of other assemblies an assembly file's public surface exposes, by assembly (<see cref="SurfaceReferences"/>).</summary>
    public static Dictionary<string, HashSet<string>> ReadSurfaceTypes(string path)
    {
        using var pe = new PEReader(ImmutableCollectionsMarshal.AsImmutableArray(File.ReadAllBytes(path)));
        return SurfaceReferences.ReadTypes(pe.GetMetadataReader());
    }

    private static bool HasMethodBodies(MetadataReader reader)
    {
        foreach (MethodDefinitionHandle handle in reader.MethodDefinitions)
        {
            if (reader.GetMethodDefinition(handle).RelativeVirtualAddress != 0)
            {
                return true;
            }
        }
        return reader.MethodDefinitions.Count == 0;
    }

    private static AssemblyFacts Read(MetadataReader reader, string path, bool hasCode)
    {
        AssemblyDefinition definition = reader.GetAssemblyDefinition();
        var references = new List<AssemblyName>();
        foreach (AssemblyReferenceHandle handle in reader.AssemblyReferences)
        {
            references.Add(reader.GetAssemblyReference(handle).GetAssemblyName());
        }

        string? informational = null, targetFramework = null, declaredId = null;
        bool isReference = false;
        var entryTypes = new List<string>();
        foreach (CustomAttributeHandle handle in definition.GetCustomAttributes())
        {
            CustomAttribute attribute = reader.GetCustomAttribute(handle);
            (string ns, string name) = AttributeType(reader, attribute);
            switch (ns, name)
            {
                case ("System.Reflection", "AssemblyInformationalVersionAttribute"):
                    informational = FirstString(reader, attribute);
                    break;
                case ("System.Runtime.Versioning", "TargetFrameworkAttribute"):
                    targetFramework = FirstString(reader, attribute);
                    break;
                case ("System.Runtime.CompilerServices", "ReferenceAssemblyAttribute"):
                    isReference = true;
                    break;
                case (AbstractionsNamespace, "PluginEntryAttribute"):
                    if (FirstString(reader, attribute) is string typeName)
                    {
                        entryTypes.Add(StripAssemblyQualifier(typeName));
                    }
                    break;
                case (AbstractionsNamespace, "PluginIdAttribute"):
                    declaredId = FirstString(reader, attribute);
                    break;
            }
        }

        return new AssemblyFacts
        {
            Path = path,
            Name = definition.GetAssemblyName(),
            InformationalVersion = informational,
            TargetFramework = targetFramework,
            IsReferenceAssembly = isReference,
            HasCode = hasCode,
            References = references,
            DeclaredEntryTypes = entryTypes,
            DeclaredId = declaredId,
            Types = ReadTypes(reader),
            ForwardedTypes = ReadForwarders(reader),
            TypeUses = ReadTypeUses(reader),
            MemberUses = ReadMemberUses(reader),
        };
    }

    // Most types implement nothing explicitly and many no interface: one shared empty instance each (never written to).
    private static readonly List<InterfaceUse> NoInterfaces = [];
    private static readonly HashSet<string> NoExplicitImplementations = [];

    private static Dictionary<string, TypeFacts> ReadTypes(MetadataReader reader)
    {
        var types = new Dictionary<string, TypeFacts>(StringComparer.Ordinal);
        foreach (TypeDefinitionHandle handle in reader.TypeDefinitions)
        {
            TypeDefinition type = reader.GetTypeDefinition(handle);
            string fullName = SignatureText.FullName(reader, handle);
            if (fullName == "<Module>")
            {
                continue;
            }
            var members = new Dictionary<string, MemberFacts>(StringComparer.Ordinal);
            bool usableConstructor = false, publicConstructor = false;
            foreach (MethodDefinitionHandle methodHandle in type.GetMethods())
            {
                MethodDefinition method = reader.GetMethodDefinition(methodHandle);
                string name = reader.GetString(method.Name);
                MethodSignature<string> signature = method.DecodeSignature(SignatureText.Instance, null);
                MethodAttributes attributes = method.Attributes;
                var member = new MemberFacts
                {
                    Name = name,
                    Signature = SignatureText.Method(signature),
                    ReturnType = signature.ReturnType,
                    ParameterTypes = signature.ParameterTypes,
                    GenericArity = signature.GenericParameterCount,
                    IsStatic = (attributes & MethodAttributes.Static) != 0,
                    IsVirtual = (attributes & MethodAttributes.Virtual) != 0,
                    IsAbstract = (attributes & MethodAttributes.Abstract) != 0,
                    Access = Access((int)(attributes & MethodAttributes.MemberAccessMask)),
                };
                members.TryAdd(member.Key, member);
                bool isPublic = member.Access == MemberAccess.Public;
                publicConstructor |= name == ".ctor" && isPublic;
                if (name == ".ctor" && isPublic && EntryConstructorRule.Accepts(signature.ParameterTypes))
                {
                    usableConstructor = true;
                }
            }
            foreach (FieldDefinitionHandle fieldHandle in type.GetFields())
            {
                FieldDefinition field = reader.GetFieldDefinition(fieldHandle);
                string fieldType = field.DecodeSignature(SignatureText.Instance, null);
                var member = new MemberFacts
                {
                    Name = reader.GetString(field.Name),
                    Signature = fieldType,
                    ReturnType = fieldType,
                    ParameterTypes = [],
                    IsField = true,
                    IsStatic = (field.Attributes & FieldAttributes.Static) != 0,
                    Access = Access((int)(field.Attributes & FieldAttributes.FieldAccessMask)),
                };
                members.TryAdd(member.Key, member);
            }
            InterfaceImplementationHandleCollection implementations = type.GetInterfaceImplementations();
            List<InterfaceUse> interfaces = implementations.Count == 0 ? NoInterfaces : new List<InterfaceUse>(implementations.Count);
            foreach (InterfaceImplementationHandle implementation in implementations)
            {
                if (Use(reader, reader.GetInterfaceImplementation(implementation).Interface) is InterfaceUse use)
                {
                    interfaces.Add(use);
                }
            }
            MethodImplementationHandleCollection methodImplementations = type.GetMethodImplementations();
            HashSet<string> explicitImplementations = methodImplementations.Count == 0 ? NoExplicitImplementations : new HashSet<string>(StringComparer.Ordinal);
            foreach (MethodImplementationHandle implementationHandle in methodImplementations)
            {
                if (ExplicitKey(reader, reader.GetMethodImplementation(implementationHandle).MethodDeclaration) is string key)
                {
                    explicitImplementations.Add(key);
                }
            }
            TypeAttributes visibility = type.Attributes & TypeAttributes.VisibilityMask;
            InterfaceUse? baseUse = type.BaseType.IsNil ? null : Use(reader, type.BaseType);
            types[fullName] = new TypeFacts
            {
                FullName = fullName,
                IsPublic = visibility == TypeAttributes.Public || (visibility == TypeAttributes.NestedPublic && IsPublicChain(reader, type)),
                IsAbstract = (type.Attributes & TypeAttributes.Abstract) != 0,
                IsInterface = (type.Attributes & TypeAttributes.Interface) != 0,
                IsSealed = (type.Attributes & TypeAttributes.Sealed) != 0,
                IsGenericDefinition = type.GetGenericParameters().Count > 0,
                HasUsableConstructor = usableConstructor,
                HasPublicConstructor = publicConstructor,
                BaseType = baseUse?.Definition,
                BaseTypeText = baseUse?.Text,
                BaseTypeArguments = baseUse?.Arguments ?? [],
                Interfaces = interfaces,
                Members = members,
                ExplicitImplementations = explicitImplementations,
            };
        }
        return types;
    }

    // Method and field access masks share their values: 1 private, 2 private protected, 3 internal, 4 protected,
    // 5 protected internal, 6 public. From another assembly only protected and public members can be bound.
    private static MemberAccess Access(int mask) => mask switch
    {
        6 => MemberAccess.Public,
        4 or 5 => MemberAccess.Family,
        _ => MemberAccess.NotVisible,
    };

    /// <summary>A MethodImpl declaration as <c>DeclaringTypeText::Name Signature</c>, or null when it is not a member reference.</summary>
    private static string? ExplicitKey(MetadataReader reader, EntityHandle declaration)
    {
        if (declaration.Kind != HandleKind.MemberReference)
        {
            return null;
        }
        MemberReference member = reader.GetMemberReference((MemberReferenceHandle)declaration);
        if (member.GetKind() != MemberReferenceKind.Method || Use(reader, member.Parent) is not InterfaceUse parent)
        {
            return null;
        }
        return parent.Text + "::" + reader.GetString(member.Name) + " " + SignatureText.Method(member.DecodeMethodSignature(SignatureText.Instance, null));
    }

    /// <summary>A type named by a TypeDef, TypeRef or generic instantiation, with its signature text and generic arguments.</summary>
    private static InterfaceUse? Use(MetadataReader reader, EntityHandle handle)
    {
        switch (handle.Kind)
        {
            case HandleKind.TypeDefinition:
                string local = SignatureText.FullName(reader, (TypeDefinitionHandle)handle);
                return new InterfaceUse(new TypeName(null, local), local, []);
            case HandleKind.TypeReference:
                var reference = (TypeReferenceHandle)handle;
                string name = SignatureText.FullName(reader, reference);
                return new InterfaceUse(new TypeName(SignatureText.ScopeAssembly(reader, reference), name), name, []);
            case HandleKind.TypeSpecification:
                BlobReader blob = reader.GetBlobReader(reader.GetTypeSpecification((TypeSpecificationHandle)handle).Signature);
                if (blob.ReadSignatureHeader().RawValue != (byte)SignatureTypeCode.GenericTypeInstance)
                {
                    return null;
                }
                blob.ReadSignatureTypeCode();
                if (Use(reader, blob.ReadTypeHandle()) is not InterfaceUse definition)
                {
                    return null;
                }
                int count = blob.ReadCompressedInteger();
                var decoder = new SignatureDecoder<string, object?>(SignatureText.Instance, reader, null);
                var arguments = new string[count];
                for (int i = 0; i < count; i++)
                {
                    arguments[i] = decoder.DecodeType(ref blob);
                }
                return definition with { Text = definition.Text + "<" + string.Join(",", arguments) + ">", Arguments = arguments };
            default:
                return null;
        }
    }

    private static bool IsPublicChain(MetadataReader reader, TypeDefinition type)
    {
        TypeDefinitionHandle declaring = type.GetDeclaringType();
        for (int depth = 0; !declaring.IsNil; depth++)
        {
            if (depth == 64)
            {
                throw new BadImageFormatException("Nested types nest too deeply (a cycle in the metadata).");
            }
            TypeDefinition outer = reader.GetTypeDefinition(declaring);
            TypeAttributes visibility = outer.Attributes & TypeAttributes.VisibilityMask;
            if (visibility is not (TypeAttributes.Public or TypeAttributes.NestedPublic))
            {
                return false;
            }
            declaring = outer.GetDeclaringType();
        }
        return true;
    }

    private static Dictionary<string, string> ReadForwarders(MetadataReader reader)
    {
        var forwarded = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (ExportedTypeHandle handle in reader.ExportedTypes)
        {
            // Nested forwarded types name their outer type as implementation: follow it to the assembly, and the name.
            ExportedType exported = reader.GetExportedType(handle);
            string fullName = reader.GetString(exported.Name);
            for (int depth = 0; exported.Implementation.Kind == HandleKind.ExportedType && depth < 64; depth++)
            {
                exported = reader.GetExportedType((ExportedTypeHandle)exported.Implementation);
                fullName = reader.GetString(exported.Name) + "+" + fullName;
            }
            string ns = reader.GetString(exported.Namespace);
            if (exported.Implementation.Kind == HandleKind.AssemblyReference)
            {
                string target = reader.GetString(reader.GetAssemblyReference((AssemblyReferenceHandle)exported.Implementation).Name);
                forwarded[ns.Length == 0 ? fullName : ns + "." + fullName] = target;
            }
        }
        return forwarded;
    }

    private static List<TypeUse> ReadTypeUses(MetadataReader reader)
    {
        var uses = new List<TypeUse>();
        foreach (TypeReferenceHandle handle in reader.TypeReferences)
        {
            if (SignatureText.ScopeAssembly(reader, handle) is string assembly)
            {
                uses.Add(new TypeUse(assembly, SignatureText.FullName(reader, handle)));
            }
        }
        return uses;
    }

    private static List<MemberUse> ReadMemberUses(MetadataReader reader)
    {
        var uses = new List<MemberUse>();
        foreach (MemberReferenceHandle handle in reader.MemberReferences)
        {
            MemberReference member = reader.GetMemberReference(handle);
            TypeReferenceHandle parent;
            switch (member.Parent.Kind)
            {
                case HandleKind.TypeReference:
                    parent = (TypeReferenceHandle)member.Parent;
                    break;
                case HandleKind.TypeSpecification when GenericDefinitionOf(reader, (TypeSpecificationHandle)member.Parent) is TypeReferenceHandle definition:
                    parent = definition;
                    break;
                default:
                    continue;
            }
            if (SignatureText.ScopeAssembly(reader, parent) is not string assembly)
            {
                continue;
            }
            string typeName = SignatureText.FullName(reader, parent);
            string name = reader.GetString(member.Name);
            string signature;
            if (member.GetKind() == MemberReferenceKind.Method)
            {
                MethodSignature<string> method = member.DecodeMethodSignature(SignatureText.Instance, null);
                signature = SignatureText.Method(method);
                // Signature text, turned into C# syntax only when a message shows it (discovery reads thousands of these).
                string parameters = string.Join(", ", method.ParameterTypes);
                uses.Add(new MemberUse(assembly, typeName, name, signature, $"{method.ReturnType} {typeName}.{name}({parameters})"));
            }
            else
            {
                signature = member.DecodeFieldSignature(SignatureText.Instance, null);
                uses.Add(new MemberUse(assembly, typeName, name, signature, $"{signature} {typeName}.{name}"));
            }
        }
        return uses;
    }

    private static TypeReferenceHandle? GenericDefinitionOf(MetadataReader reader, TypeSpecificationHandle handle)
    {
        // A generic instantiation's blob: GENERICINST (0x15), CLASS/VALUETYPE, TypeDefOrRef coded index, ...
        BlobReader blob = reader.GetBlobReader(reader.GetTypeSpecification(handle).Signature);
        if (blob.ReadSignatureHeader().RawValue != (byte)SignatureTypeCode.GenericTypeInstance)
        {
            return null;
        }
        blob.ReadSignatureTypeCode();
        EntityHandle definition = blob.ReadTypeHandle();
        return definition.Kind == HandleKind.TypeReference ? (TypeReferenceHandle)definition : null;
    }

    private static (string Namespace, string Name) AttributeType(MetadataReader reader, CustomAttribute attribute)
    {
        EntityHandle type = attribute.Constructor.Kind switch
        {
            HandleKind.MemberReference => reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent,
            HandleKind.MethodDefinition => reader.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType(),
            _ => default,
        };
        return type.Kind switch
        {
            HandleKind.TypeReference => (reader.GetString(reader.GetTypeReference((TypeReferenceHandle)type).Namespace), reader.GetString(reader.GetTypeReference((TypeReferenceHandle)type).Name)),
            HandleKind.TypeDefinition => (reader.GetString(reader.GetTypeDefinition((TypeDefinitionHandle)type).Namespace), reader.GetString(reader.GetTypeDefinition((TypeDefinitionHandle)type).Name)),
            _ => (string.Empty, string.Empty),
        };
    }

    private static string? FirstString(MetadataReader reader, CustomAttribute attribute)
    {
        try
        {
            CustomAttributeValue<string> value = attribute.DecodeValue(SignatureText.Instance);
            return value.FixedArguments.Length > 0 ? value.FixedArguments[0].Value as string : null;
        }
        catch (BadImageFormatException)
        {
            return null;
        }
    }

    private static string StripAssemblyQualifier(string serializedTypeName)
    {
        // "Ns.Type, Assembly, Version=..." -> "Ns.Type"; generic arguments in brackets are not entry types.
        int comma = serializedTypeName.IndexOf(',', StringComparison.Ordinal);
        return comma < 0 ? serializedTypeName : serializedTypeName[..comma].Trim();
    }
}
