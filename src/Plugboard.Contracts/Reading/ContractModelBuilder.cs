using System.Globalization;
using System.Reflection;
using System.Reflection.Metadata;
using System.Text.RegularExpressions;

namespace Plugboard.Contracts.Reading;

/// <summary>Builds the <see cref="ContractModel"/> of one host API: finds the marked types, judges every member's shape, and reports the rest.</summary>
internal sealed partial class ContractModelBuilder(MetadataReader reader, XmlDocumentation documentation)
{
    private const string ExportedInterfaceAttribute = "Plugboard.ExportedInterfaceAttribute";
    private const string SharedDataAttribute = "Plugboard.SharedDataAttribute";
    private const string ExportedClassAttribute = "Plugboard.ExportedClassAttribute";
    private const string NotExportedAttribute = "Plugboard.NotExportedAttribute";

    /// <summary>The one list every unsupported-shape diagnostic ends with.</summary>
    internal const string SupportedShapes =
        "Supported: sbyte, byte, short, ushort, int, uint, long, ulong, nint, nuint, float, double, bool; [SharedData] enums and structs; " +
        "ReadOnlySpan<T>, Span<T> and T[] parameters of those (pointer + length); string (UTF-8 in, the caller's sink out); byte[] return (the caller's sink); " +
        "[ExportedInterface] interfaces and [ExportedClass] classes as parameters (opaque handles, one per type); void.";

    private readonly List<ContractDiagnostic> _diagnostics = [];
    private readonly Dictionary<TypeDefinitionHandle, string> _exported = [];
    private readonly HashSet<TypeDefinitionHandle> _classes = [];
    private readonly HashSet<TypeDefinitionHandle> _shared = [];
    private readonly Dictionary<TypeDefinitionHandle, SharedEnum?> _enums = [];
    private readonly Dictionary<TypeDefinitionHandle, SharedStruct?> _structs = [];
    private readonly List<SharedStruct> _structOrder = [];
    private readonly HashSet<TypeDefinitionHandle> _building = [];

    private enum Position
    {
        Parameter,
        Return,
        Field,
        Element,
    }

    public ContractModel Build()
    {
        foreach (TypeDefinitionHandle handle in reader.TypeDefinitions)
        {
            TypeDefinition type = reader.GetTypeDefinition(handle);
            foreach (CustomAttributeHandle attributeHandle in type.GetCustomAttributes())
            {
                CustomAttribute attribute = reader.GetCustomAttribute(attributeHandle);
                string name = TypeNames.OfConstructor(reader, attribute.Constructor);
                if (name is ExportedInterfaceAttribute or ExportedClassAttribute)
                {
                    if (_exported.ContainsKey(handle))
                    {
                        Report(ContractDiagnosticIds.InvalidInterfaceId, TypeNames.Of(reader, handle), "a type is exported once: by [ExportedInterface] (an interface) or by [ExportedClass] (a class), not both.");
                        continue;
                    }
                    _exported[handle] = attribute.DecodeValue(AttributeValueDecoder.Instance).FixedArguments is [{ Value: string id }] ? id : string.Empty;
                    if (name == ExportedClassAttribute)
                    {
                        _classes.Add(handle);
                    }
                }
                else if (name == SharedDataAttribute)
                {
                    _shared.Add(handle);
                }
            }
        }

        var enums = new List<SharedEnum>();
        foreach (TypeDefinitionHandle handle in _shared.OrderBy(h => MetadataTokens(h)))
        {
            if (IsEnum(handle))
            {
                if (EnumOf(handle) is { } shared)
                {
                    enums.Add(shared);
                }
            }
            else if (IsValueType(handle))
            {
                StructOf(handle);
            }
            else
            {
                Report(ContractDiagnosticIds.InvalidSharedData, TypeNames.Of(reader, handle), "[SharedData] marks structs and enums only; a class or interface cannot be shared data. Export an interface for it with [ExportedInterface] instead.");
            }
        }

        var interfaces = new List<ContractInterface>();
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((TypeDefinitionHandle handle, string id) in _exported.OrderBy(pair => MetadataTokens(pair.Key)))
        {
            string fullName = TypeNames.Of(reader, handle);
            TypeDefinition type = reader.GetTypeDefinition(handle);
            bool isClass = _classes.Contains(handle);
            if (!isClass && (type.Attributes & TypeAttributes.Interface) == 0)
            {
                Report(ContractDiagnosticIds.InvalidInterfaceId, fullName, "[ExportedInterface] marks interfaces only; mark a class [ExportedClass] to pass its objects by handle.");
                continue;
            }
            if (isClass && ((type.Attributes & TypeAttributes.Interface) != 0 || IsEnum(handle) || IsValueType(handle)))
            {
                Report(ContractDiagnosticIds.InvalidInterfaceId, fullName, "[ExportedClass] marks classes only; mark an interface [ExportedInterface], a struct or enum [SharedData].");
                continue;
            }
            if (!InterfaceId().IsMatch(id))
            {
                Report(ContractDiagnosticIds.InvalidInterfaceId, fullName, $"the id '{id}' is not a versioned id: use a lower-case dotted name, a slash and the major version, e.g. 'notebook.notes/1'.");
                continue;
            }
            if (ids.TryGetValue(id, out string? other))
            {
                Report(ContractDiagnosticIds.InvalidInterfaceId, fullName, $"the id '{id}' is already the id of {other}; each exported interface needs its own id.");
                continue;
            }
            ids[id] = fullName;
            if (InterfaceOf(handle, id, isClass) is { } exported)
            {
                interfaces.Add(exported);
            }
        }

        ReportNameCollisions(interfaces, enums);
        Version version = reader.GetAssemblyDefinition().Version;
        return new ContractModel(reader.GetString(reader.GetAssemblyDefinition().Name), version, interfaces, _structOrder, enums, _diagnostics);
    }

    // Types of different namespaces (or an interface and a struct) can get one name in the bindings: C names take only the
    // simple name after the prefix, Rust and C# names the simple name. Two such types would not compile; say which.
    private void ReportNameCollisions(List<ContractInterface> interfaces, List<SharedEnum> enums)
    {
        string prefix = Bindings.NativeNames.Snake(reader.GetString(reader.GetAssemblyDefinition().Name).Split('.')[0]);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        void Claim(string fullName, IEnumerable<string> generated)
        {
            foreach (string name in generated)
            {
                if (names.TryGetValue(name, out string? owner) && owner != fullName)
                {
                    Report(ContractDiagnosticIds.NameCollision, fullName, $"its bindings would declare '{name}', which the bindings of {owner} declare too. Rename one of the two types.");
                    return;
                }
                names[name] = fullName;
            }
        }
        foreach (SharedEnum shared in enums)
        {
            Claim(shared.FullName, [prefix + "_" + Bindings.NativeNames.Snake(shared.Name), shared.Name]);
        }
        foreach (SharedStruct shared in _structOrder)
        {
            Claim(shared.FullName, [prefix + "_" + Bindings.NativeNames.Snake(shared.Name), shared.Name]);
        }
        foreach (ContractInterface exported in interfaces)
        {
            string type = exported.TypeName;
            Claim(exported.FullName, [exported.NativeName, Bindings.NativeNames.Pascal(exported.NativeName), type, type + "Ref", type + "Client", type + "Table", type + "Thunks", type + "HostTable", type + "Proxy", "I" + type]);
        }
    }

    private static int MetadataTokens(TypeDefinitionHandle handle) => System.Reflection.Metadata.Ecma335.MetadataTokens.GetRowNumber(handle);

    // An interface's table is every member; a class's, every public instance member not marked [NotExported] (constructors
    // and init accessors act before the object exists and are not members of it). Anything else that is public is reported.
    private ContractInterface? InterfaceOf(TypeDefinitionHandle handle, string id, bool isClass)
    {
        TypeDefinition type = reader.GetTypeDefinition(handle);
        string fullName = TypeNames.Of(reader, handle);
        MemberDocumentation typeDocs = documentation.For("T:" + fullName);
        int before = _diagnostics.Count;
        if (type.GetGenericParameters().Count > 0)
        {
            Report(ContractDiagnosticIds.UnsupportedMember, fullName, isClass
                ? "generic classes cannot be exported: a table has one layout. Export a closed class per element type."
                : "generic interfaces cannot be exported: a table has one layout. Export a closed interface per element type.");
        }
        if (!isClass && type.GetInterfaceImplementations().Count > 0)
        {
            Report(ContractDiagnosticIds.UnsupportedMember, fullName, "an exported interface cannot extend other interfaces: its table would have to hold theirs. Declare the members in the exported interface itself.");
        }
        if (isClass && BaseTypeName(handle) != "System.Object")
        {
            Report(ContractDiagnosticIds.UnsupportedMember, fullName, $"an exported class derives from object directly: the members of its base class '{BaseTypeName(handle)}' would be in no table. Export the base class, or declare the members in this class.");
        }

        // Members left out on purpose ([NotExported], on a class), or accessors of such a property or event.
        var excluded = new HashSet<MethodDefinitionHandle>();
        var accessors = new Dictionary<MethodDefinitionHandle, (string Property, bool Getter)>();
        foreach (PropertyDefinitionHandle propertyHandle in type.GetProperties())
        {
            PropertyDefinition property = reader.GetPropertyDefinition(propertyHandle);
            PropertyAccessors pair = property.GetAccessors();
            string name = reader.GetString(property.Name);
            if (IsNotExported(property.GetCustomAttributes(), $"{fullName}.{name}", isClass))
            {
                excluded.Add(pair.Getter);
                excluded.Add(pair.Setter);
                continue;
            }
            if (!pair.Getter.IsNil)
            {
                accessors[pair.Getter] = (name, true);
            }
            if (!pair.Setter.IsNil)
            {
                accessors[pair.Setter] = (name, false);
            }
        }
        var eventAccessors = new HashSet<MethodDefinitionHandle>();
        foreach (EventDefinitionHandle eventHandle in type.GetEvents())
        {
            EventDefinition definition = reader.GetEventDefinition(eventHandle);
            EventAccessors pair = definition.GetAccessors();
            eventAccessors.Add(pair.Adder);
            eventAccessors.Add(pair.Remover);
            string name = $"{fullName}.{reader.GetString(definition.Name)}";
            if (IsNotExported(definition.GetCustomAttributes(), name, isClass)
                || (isClass && (reader.GetMethodDefinition(pair.Adder).Attributes & MethodAttributes.MemberAccessMask) != MethodAttributes.Public))
            {
                continue;
            }
            Report(ContractDiagnosticIds.UnsupportedMember, name, "events cannot be exported: native code cannot hold a .NET delegate. Export a callback interface and pass it as a handle, or let the plugin poll." + (isClass ? " Mark it [NotExported] to leave it out of the class's table." : string.Empty));
        }

        var methods = new List<ContractMethod>();
        var nativeNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (MethodDefinitionHandle methodHandle in type.GetMethods())
        {
            if (eventAccessors.Contains(methodHandle) || excluded.Contains(methodHandle))
            {
                continue;
            }
            MethodDefinition definition = reader.GetMethodDefinition(methodHandle);
            if (isClass)
            {
                string methodName = reader.GetString(definition.Name);
                if ((definition.Attributes & MethodAttributes.MemberAccessMask) != MethodAttributes.Public || methodName is ".ctor" or ".cctor")
                {
                    continue; // not a member plugins could call on the object
                }
                if (accessors.ContainsKey(methodHandle) && definition.DecodeSignature(SignatureDecoder.Instance, null).ReturnType is InitOnlyType)
                {
                    continue; // an init accessor: only while the object is made
                }
            }
            if (IsNotExported(definition.GetCustomAttributes(), $"{fullName}.{reader.GetString(definition.Name)}", isClass))
            {
                continue;
            }
            if (MethodOf(fullName, methodHandle, accessors, typeDocs, isClass) is not { } method)
            {
                continue;
            }
            if (nativeNames.TryGetValue(method.NativeName, out string? clash))
            {
                Report(ContractDiagnosticIds.NameCollision, $"{fullName}.{method.DisplayName}", $"its function would be named '{method.NativeName}' like {clash}'s: C has no overloads. Give each member its own name.");
                continue;
            }
            nativeNames[method.NativeName] = method.DisplayName;
            methods.Add(method);
        }
        return _diagnostics.Skip(before).Any(d => d.Severity == ContractDiagnosticSeverity.Error) ? null : new ContractInterface(id, fullName, methods, typeDocs) { IsClass = isClass };
    }

    // [NotExported] leaves a class member out; on an interface it is an error (a proxy implements every member of the interface).
    private bool IsNotExported(CustomAttributeHandleCollection attributes, string member, bool isClass)
    {
        foreach (CustomAttributeHandle attributeHandle in attributes)
        {
            if (TypeNames.OfConstructor(reader, reader.GetCustomAttribute(attributeHandle).Constructor) == NotExportedAttribute)
            {
                if (!isClass)
                {
                    Report(ContractDiagnosticIds.UnsupportedMember, member, "[NotExported] leaves members out of an [ExportedClass]'s table; every member of an exported interface is in its table (a host proxy implements the whole interface). Move the member to another interface.");
                }
                return isClass;
            }
        }
        return false;
    }

    private ContractMethod? MethodOf(string typeName, MethodDefinitionHandle handle, Dictionary<MethodDefinitionHandle, (string Property, bool Getter)> accessors, MemberDocumentation typeDocs, bool isClass)
    {
        MethodDefinition method = reader.GetMethodDefinition(handle);
        string name = reader.GetString(method.Name);
        MethodSignature<DecodedType> signature = method.DecodeSignature(SignatureDecoder.Instance, null);
        string docParameters = signature.ParameterTypes.Length == 0 ? string.Empty : $"({string.Join(",", signature.ParameterTypes.Select(p => p.DocId))})";
        bool isAccessor = accessors.TryGetValue(handle, out (string Property, bool Getter) accessor);
        string display = isAccessor
            ? $"{accessor.Property} {{ {(accessor.Getter ? "get" : "set")}; }}"
            : $"{name}({string.Join(", ", signature.ParameterTypes.Select(p => p.Display))})";
        string member = $"{typeName}.{display}";
        string docId = isAccessor ? $"P:{typeName}.{accessor.Property}" : $"M:{typeName}.{name}{docParameters}";

        if ((method.Attributes & MethodAttributes.Static) != 0)
        {
            Report(ContractDiagnosticIds.UnsupportedMember, member, isClass
                ? "static members are not members of an object, and a class's table holds the functions of one object: make it an instance member, or mark it [NotExported]."
                : "static interface members cannot be exported: a table holds instance functions. Move it to a class of the host API (plugins call it through an instance member).");
            return null;
        }
        if (!isClass && (method.Attributes & MethodAttributes.Abstract) == 0)
        {
            Report(ContractDiagnosticIds.UnsupportedMember, member, "members with a default implementation cannot be exported: the other side would have to run C#. Declare it without a body.");
            return null;
        }
        if (signature.GenericParameterCount > 0)
        {
            Report(ContractDiagnosticIds.UnsupportedMember, member, "generic methods cannot be exported: a table entry has one signature. Declare one method per type.");
            return null;
        }

        string[] names = new string[signature.ParameterTypes.Length];
        foreach (ParameterHandle parameterHandle in method.GetParameters())
        {
            Parameter parameter = reader.GetParameter(parameterHandle);
            if (parameter.SequenceNumber > 0 && parameter.SequenceNumber <= names.Length)
            {
                names[parameter.SequenceNumber - 1] = reader.GetString(parameter.Name);
            }
        }
        bool ok = true;
        var parameters = new List<ContractParameter>();
        for (int i = 0; i < names.Length; i++)
        {
            string parameterName = names[i] ?? "arg" + i.ToString(CultureInfo.InvariantCulture);
            if (Classify(signature.ParameterTypes[i], Position.Parameter, out ContractShape? shape, out string? problem))
            {
                parameters.Add(new ContractParameter(parameterName, shape!));
            }
            else
            {
                Report(ContractDiagnosticIds.UnsupportedShape, member, $"parameter '{parameterName}' of type '{signature.ParameterTypes[i].Display}' cannot cross the boundary: {problem} {SupportedShapes}");
                ok = false;
            }
        }
        if (!Classify(signature.ReturnType, Position.Return, out ContractShape? returns, out string? returnProblem))
        {
            Report(ContractDiagnosticIds.UnsupportedShape, member, $"the return type '{signature.ReturnType.Display}' cannot cross the boundary: {returnProblem} {SupportedShapes}");
            ok = false;
        }
        if (!ok)
        {
            return null;
        }

        if (NameClash(parameters) is { } clash)
        {
            Report(ContractDiagnosticIds.NameCollision, member, clash);
            return null;
        }
        // The call names its host objects by type (the handle's table resolves the call to the object of its type), so
        // two handles of one type could not be told apart.
        if (parameters.Where(p => p.Shape.Kind == ShapeKind.Handle).GroupBy(p => p.Shape.InterfaceId, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            Report(ContractDiagnosticIds.DuplicateHandleType, member, $"parameters {string.Join(" and ", twice.Select(p => "'" + p.Name + "'"))} are both handles of {twice.First().Shape.TypeName} ({twice.Key}); a function takes at most one handle per exported type, because the call resolves each handle by its type. Pass one and reach the other through it, or split the function.");
            return null;
        }
        MemberDocumentation docs = documentation.For(docId);
        if (docs.Thread is null && typeDocs.Thread is null)
        {
            _diagnostics.Add(new ContractDiagnostic(ContractDiagnosticIds.MissingThreadRule, ContractDiagnosticSeverity.Warning, member,
                "its documentation states no thread rule: add <thread>...</thread> to the member's or the interface's XML doc comment (e.g. <thread>any</thread>, or <thread>the invoking thread, during invoke</thread>), and build with GenerateDocumentationFile."));
        }
        else if (docs.Thread is null)
        {
            docs = new MemberDocumentation(docs.Summary, typeDocs.Thread, docs.Ownership);
        }
        return new ContractMethod(name, display, parameters, returns!, docs);
    }

    // The names the bindings give each part of a function must not meet: 'tag' and 'tag_len', or a parameter called 'ctx'.
    private static string? NameClash(List<ContractParameter> parameters)
    {
        var taken = new Dictionary<string, string>(StringComparer.Ordinal) { ["ctx"] = "the object's context", ["out_ctx"] = "the output sink", ["out_write"] = "the output sink", ["out_result"] = "the result pointer" };
        foreach (ContractParameter parameter in parameters)
        {
            string name = Bindings.NativeNames.Identifier(parameter.Name);
            string[] parts = parameter.Shape.Kind switch
            {
                ShapeKind.Utf8String or ShapeKind.Span => [name, name + "_len"],
                ShapeKind.Handle => [name, name + "_vtbl"],
                _ => [name],
            };
            foreach (string part in parts)
            {
                if (!taken.TryAdd(part, $"parameter '{parameter.Name}'"))
                {
                    return $"parameter '{parameter.Name}' becomes '{part}' in the bindings, which is already {taken[part]}. Rename the parameter.";
                }
            }
        }
        return null;
    }

    private bool Classify(DecodedType type, Position position, out ContractShape? shape, out string? problem)
    {
        shape = null;
        problem = null;
        switch (type)
        {
            case PrimitiveType primitive:
                return ClassifyPrimitive(primitive.Code, position, out shape, out problem);
            case NamedType { Definition.IsNil: false } named:
                return ClassifyDefinition(named, position, out shape, out problem);
            case NamedType named:
                problem = $"'{named.FullName}' is defined outside the host API, so its layout is not the host API's to promise.";
                return false;
            case GenericType generic when generic.DefinitionName is "System.ReadOnlySpan" or "System.Span" && generic.Arguments.Length == 1:
                if (position != Position.Parameter)
                {
                    problem = position == Position.Return ? "a span cannot be returned (nothing would own its memory); return byte[] or string (they come back through the caller's sink), or take a Span<T> parameter the callee fills." : "a span cannot be a struct field.";
                    return false;
                }
                return ClassifySpan(generic.Arguments[0], writable: generic.DefinitionName == "System.Span", type.Display, out shape, out problem);
            case ArrayType array when position == Position.Parameter:
                return ClassifySpan(array.Element, writable: false, type.Display, out shape, out problem);
            case ArrayType { Element: PrimitiveType { Code: PrimitiveTypeCode.Byte } } when position == Position.Return:
                shape = ContractShape.ForSpan(ContractShape.ForScalar(ScalarType.UInt8), writable: false, "byte[]");
                return true;
            case ArrayType:
                problem = position == Position.Return ? "only byte[] can be returned as an array (through the caller's sink)." : "an array cannot be a struct field or a span element.";
                return false;
            case ByRefType:
                problem = "ref, out and in parameters are not supported: return the value (a struct comes back through an out pointer), or pass a Span<T> the callee fills.";
                return false;
            case GenericType generic:
                problem = $"'{generic.Display}' is a generic type; only ReadOnlySpan<T> and Span<T> are.";
                return false;
            default:
                problem = $"'{type.Display}' (pointers, delegates, generic parameters) has no safe shape.";
                return false;
        }
    }

    private static bool ClassifyPrimitive(PrimitiveTypeCode code, Position position, out ContractShape? shape, out string? problem)
    {
        shape = null;
        problem = null;
        ScalarType? scalar = code switch
        {
            PrimitiveTypeCode.SByte => ScalarType.Int8,
            PrimitiveTypeCode.Byte => ScalarType.UInt8,
            PrimitiveTypeCode.Int16 => ScalarType.Int16,
            PrimitiveTypeCode.UInt16 => ScalarType.UInt16,
            PrimitiveTypeCode.Int32 => ScalarType.Int32,
            PrimitiveTypeCode.UInt32 => ScalarType.UInt32,
            PrimitiveTypeCode.Int64 => ScalarType.Int64,
            PrimitiveTypeCode.UInt64 => ScalarType.UInt64,
            PrimitiveTypeCode.IntPtr => ScalarType.IntPtr,
            PrimitiveTypeCode.UIntPtr => ScalarType.UIntPtr,
            PrimitiveTypeCode.Single => ScalarType.Float32,
            PrimitiveTypeCode.Double => ScalarType.Float64,
            PrimitiveTypeCode.Boolean => ScalarType.Bool,
            _ => null,
        };
        if (scalar is { } value)
        {
            if (value == ScalarType.Bool && position == Position.Element)
            {
                problem = "a span of bool is not supported (every byte would have to be checked for 0 or 1); use a span of byte.";
                return false;
            }
            shape = ContractShape.ForScalar(value);
            return true;
        }
        switch (code)
        {
            case PrimitiveTypeCode.Void when position == Position.Return:
                shape = ContractShape.Void;
                return true;
            case PrimitiveTypeCode.String when position is Position.Parameter or Position.Return:
                shape = ContractShape.Utf8String;
                return true;
            case PrimitiveTypeCode.String:
                problem = "a string cannot be a struct field or span element (structs cross as plain bytes); pass it as a parameter of its own.";
                return false;
            case PrimitiveTypeCode.Char:
                problem = "char is a UTF-16 code unit; use string (UTF-8) for text or ushort for the number.";
                return false;
            default:
                problem = $"'{new PrimitiveType(code).Display}' has no fixed layout.";
                return false;
        }
    }

    private bool ClassifySpan(DecodedType element, bool writable, string display, out ContractShape? shape, out string? problem)
    {
        shape = null;
        if (!Classify(element, Position.Element, out ContractShape? elementShape, out problem))
        {
            problem = $"its element type '{element.Display}' cannot: {problem}";
            return false;
        }
        if (elementShape!.Kind is not (ShapeKind.Scalar or ShapeKind.Enum or ShapeKind.Struct))
        {
            problem = $"a span's elements must be scalars, shared enums or shared structs, not '{element.Display}'.";
            return false;
        }
        shape = ContractShape.ForSpan(elementShape, writable, display);
        return true;
    }

    private bool ClassifyDefinition(NamedType named, Position position, out ContractShape? shape, out string? problem)
    {
        shape = null;
        problem = null;
        TypeDefinitionHandle handle = named.Definition;
        if (_exported.TryGetValue(handle, out string? id))
        {
            if (position != Position.Parameter)
            {
                string what = _classes.Contains(handle) ? "an exported class" : "an exported interface";
                problem = position == Position.Return
                    ? $"'{named.FullName}' is {what}; a handle can be passed as a parameter, not returned (no owner would release it, and it would outlive the call it is valid in). Return a scalar (an id) or a string, or mark the member [NotExported]."
                    : $"'{named.FullName}' is {what}; a handle cannot be stored in shared data.";
                return false;
            }
            shape = ContractShape.ForHandle(named.FullName, id);
            return true;
        }
        if (_shared.Contains(handle) && IsEnum(handle))
        {
            if (EnumOf(handle) is not { } shared)
            {
                problem = $"the shared enum '{named.FullName}' is itself invalid (see its diagnostic).";
                return false;
            }
            shape = ContractShape.ForEnum(shared.FullName, shared.Underlying);
            return true;
        }
        if (_shared.Contains(handle) && IsValueType(handle))
        {
            if (StructOf(handle) is null)
            {
                problem = $"the shared struct '{named.FullName}' is itself invalid (see its diagnostic).";
                return false;
            }
            shape = ContractShape.ForStruct(named.FullName);
            return true;
        }
        TypeDefinition type = reader.GetTypeDefinition(handle);
        problem = (type.Attributes & TypeAttributes.Interface) != 0 ? $"the interface '{named.FullName}' is not exported; mark it [ExportedInterface(\"name/1\")] to pass it as a handle."
            : IsEnum(handle) || IsValueType(handle) ? $"'{named.FullName}' is not shared data; mark it [SharedData]."
            : $"'{named.FullName}' is a class that is not exported: mark it [ExportedClass(\"name/1\")] to pass its objects as handles, or export an interface for what plugins do with it.";
        return false;
    }

    private SharedEnum? EnumOf(TypeDefinitionHandle handle)
    {
        if (_enums.TryGetValue(handle, out SharedEnum? known))
        {
            return known;
        }
        TypeDefinition type = reader.GetTypeDefinition(handle);
        string fullName = TypeNames.Of(reader, handle);
        ScalarType? underlying = null;
        var members = new List<SharedEnumMember>();
        foreach (FieldDefinitionHandle fieldHandle in type.GetFields())
        {
            FieldDefinition field = reader.GetFieldDefinition(fieldHandle);
            string name = reader.GetString(field.Name);
            if ((field.Attributes & FieldAttributes.Static) == 0)
            {
                if (field.DecodeSignature(SignatureDecoder.Instance, null) is PrimitiveType primitive
                    && ClassifyPrimitive(primitive.Code, Position.Field, out ContractShape? shape, out _) && shape!.Scalar is not (ScalarType.Bool or ScalarType.Float32 or ScalarType.Float64))
                {
                    underlying = shape.Scalar;
                }
                continue;
            }
            if (field.GetDefaultValue().IsNil)
            {
                continue;
            }
            Constant constant = reader.GetConstant(field.GetDefaultValue());
            BlobReader blob = reader.GetBlobReader(constant.Value);
            long value = constant.TypeCode switch
            {
                ConstantTypeCode.SByte => blob.ReadSByte(),
                ConstantTypeCode.Byte => blob.ReadByte(),
                ConstantTypeCode.Int16 => blob.ReadInt16(),
                ConstantTypeCode.UInt16 => blob.ReadUInt16(),
                ConstantTypeCode.Int32 => blob.ReadInt32(),
                ConstantTypeCode.UInt32 => blob.ReadUInt32(),
                ConstantTypeCode.Int64 => blob.ReadInt64(),
                ConstantTypeCode.UInt64 => unchecked((long)blob.ReadUInt64()),
                _ => 0,
            };
            members.Add(new SharedEnumMember(name, value, documentation.For($"F:{fullName}.{name}")));
        }
        SharedEnum? result = null;
        if (underlying is { } scalar)
        {
            result = new SharedEnum(fullName, scalar, members, documentation.For("T:" + fullName));
        }
        else
        {
            Report(ContractDiagnosticIds.InvalidSharedData, fullName, "the enum's underlying type is not an integer.");
        }
        _enums[handle] = result;
        return result;
    }

    private SharedStruct? StructOf(TypeDefinitionHandle handle)
    {
        if (_structs.TryGetValue(handle, out SharedStruct? known))
        {
            return known;
        }
        string fullName = TypeNames.Of(reader, handle);
        if (!_building.Add(handle))
        {
            Report(ContractDiagnosticIds.InvalidSharedData, fullName, "the struct contains itself.");
            return null;
        }
        SharedStruct? result = BuildStruct(handle, fullName);
        _building.Remove(handle);
        _structs[handle] = result;
        if (result is not null)
        {
            _structOrder.Add(result);
        }
        return result;
    }

    private SharedStruct? BuildStruct(TypeDefinitionHandle handle, string fullName)
    {
        TypeDefinition type = reader.GetTypeDefinition(handle);
        if (type.GetGenericParameters().Count > 0)
        {
            Report(ContractDiagnosticIds.InvalidSharedData, fullName, "a generic struct has no single layout; declare a closed struct.");
            return null;
        }
        TypeLayout layout = type.GetLayout();
        if ((type.Attributes & TypeAttributes.LayoutMask) != TypeAttributes.SequentialLayout || layout.PackingSize != 0 || layout.Size != 0)
        {
            Report(ContractDiagnosticIds.InvalidSharedData, fullName, "a shared struct must have the default sequential layout (no LayoutKind.Explicit or Auto, no Pack or Size), so C, Rust and C# place its fields alike.");
            return null;
        }
        var fields = new List<SharedField>();
        int offset = 0;
        int alignment = 1;
        bool ok = true;
        foreach (FieldDefinitionHandle fieldHandle in type.GetFields())
        {
            FieldDefinition field = reader.GetFieldDefinition(fieldHandle);
            if ((field.Attributes & FieldAttributes.Static) != 0)
            {
                continue;
            }
            string name = reader.GetString(field.Name);
            DecodedType fieldType = field.DecodeSignature(SignatureDecoder.Instance, null);
            if (name.Contains('<', StringComparison.Ordinal))
            {
                // An auto-property's backing field: report it by the property's name.
                name = name[1..name.IndexOf('>', StringComparison.Ordinal)];
            }
            if (fields.Count == 0 && (name != "StructSize" || fieldType is not PrimitiveType { Code: PrimitiveTypeCode.UInt32 }))
            {
                Report(ContractDiagnosticIds.InvalidSharedData, fullName, $"the first field is '{fieldType.Display} {name}'; a shared struct starts with 'public uint StructSize;' (the struct_size rule: fields are only appended, and neither side reads past the size the other declared).");
                return null;
            }
            if (!Classify(fieldType, Position.Field, out ContractShape? shape, out string? problem))
            {
                Report(ContractDiagnosticIds.UnsupportedShape, $"{fullName}.{name}", $"the field's type '{fieldType.Display}' cannot be shared data: {problem} Fields may be scalars, shared enums and shared structs.");
                ok = false;
                continue;
            }
            (int size, int align) = SizeOf(shape!);
            offset = (offset + align - 1) / align * align;
            fields.Add(new SharedField(name, shape!, offset, documentation.For($"F:{fullName}.{name}")));
            offset += size;
            alignment = Math.Max(alignment, align);
        }
        if (!ok)
        {
            return null;
        }
        if (fields.Count == 0)
        {
            Report(ContractDiagnosticIds.InvalidSharedData, fullName, "the struct has no fields; a shared struct starts with 'public uint StructSize;'.");
            return null;
        }
        int total = (offset + alignment - 1) / alignment * alignment;
        return new SharedStruct(fullName, fields, total, alignment, documentation.For("T:" + fullName));
    }

    private (int Size, int Alignment) SizeOf(ContractShape shape)
    {
        if (shape.Kind == ShapeKind.Struct)
        {
            SharedStruct nested = _structOrder.First(s => s.FullName == shape.TypeName);
            return (nested.Size, nested.Alignment);
        }
        int size = shape.Scalar switch
        {
            ScalarType.Int8 or ScalarType.UInt8 or ScalarType.Bool => 1,
            ScalarType.Int16 or ScalarType.UInt16 => 2,
            ScalarType.Int32 or ScalarType.UInt32 or ScalarType.Float32 => 4,
            _ => 8,
        };
        return (size, size);
    }

    private bool IsEnum(TypeDefinitionHandle handle) => BaseTypeName(handle) == "System.Enum";

    private bool IsValueType(TypeDefinitionHandle handle) => BaseTypeName(handle) == "System.ValueType";

    private string BaseTypeName(TypeDefinitionHandle handle)
    {
        EntityHandle baseType = reader.GetTypeDefinition(handle).BaseType;
        return baseType.IsNil ? string.Empty : TypeNames.Of(reader, baseType);
    }

    private void Report(string id, string member, string message) => _diagnostics.Add(new ContractDiagnostic(id, ContractDiagnosticSeverity.Error, member, message));

    private const string InterfaceIdPattern = @"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*/[1-9][0-9]{0,8}$";

#if NET
    [GeneratedRegex(InterfaceIdPattern)]
    private static partial Regex InterfaceId();
#else
    // The source generator's netstandard2.0 build has no regex generator: the same pattern, built once.
    private static readonly Regex InterfaceIdRegex = new(InterfaceIdPattern);

    private static Regex InterfaceId() => InterfaceIdRegex;
#endif
}
