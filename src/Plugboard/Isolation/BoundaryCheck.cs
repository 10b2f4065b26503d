using System.Reflection;
using System.Runtime.CompilerServices;

namespace Plugboard.Isolation;

/// <summary>
/// Whether a contract can be served across a process boundary, and if not, exactly which member cannot and why.
/// Arguments and results cross as copies (JSON of their declared types), so every one of them must be data: values,
/// strings, enums, collections of data, and classes, structs or records made only of data. A class with public
/// methods is a service (a store the plugin adds to): the plugin would change a copy the host never sees, so it is
/// refused until callbacks into the host exist (docs/isolation.md).
/// </summary>
internal static class BoundaryCheck
{
    private static readonly HashSet<Type> Scalars =
    [
        typeof(bool), typeof(byte), typeof(sbyte), typeof(short), typeof(ushort), typeof(int), typeof(uint), typeof(long), typeof(ulong),
        typeof(float), typeof(double), typeof(decimal), typeof(char), typeof(string), typeof(DateTime), typeof(DateTimeOffset),
        typeof(TimeSpan), typeof(DateOnly), typeof(TimeOnly), typeof(Guid), typeof(Uri), typeof(Version),
    ];

    private static readonly HashSet<Type> Sequences =
    [
        typeof(List<>), typeof(IList<>), typeof(IReadOnlyList<>), typeof(IEnumerable<>), typeof(ICollection<>), typeof(IReadOnlyCollection<>),
        typeof(HashSet<>), typeof(ISet<>), typeof(IReadOnlySet<>),
    ];

    private static readonly HashSet<Type> Maps = [typeof(Dictionary<,>), typeof(IDictionary<,>), typeof(IReadOnlyDictionary<,>)];

    /// <summary>Every reason the contract cannot cross, one per offending member; empty when it can.</summary>
    public static IReadOnlyList<string> Problems(Type contract)
    {
        if (!contract.IsInterface)
        {
            return [$"{contract.FullName} is a class; a worker's plugin is reached through a proxy, which needs the contract to be an interface"];
        }
        var problems = new List<string>();
        foreach (Type type in (IEnumerable<Type>)[contract, .. contract.GetInterfaces()])
        {
            foreach (EventInfo e in type.GetEvents())
            {
                problems.Add($"event {type.Name}.{e.Name}: events do not cross a process boundary");
            }
        }
        foreach (MethodInfo method in new ContractMethods(contract).All)
        {
            string member = $"{method.DeclaringType!.Name}.{method.Name}";
            if (method.IsSpecialName && (method.Name.StartsWith("add_", StringComparison.Ordinal) || method.Name.StartsWith("remove_", StringComparison.Ordinal)))
            {
                continue; // reported as the event
            }
            if (method.IsGenericMethodDefinition)
            {
                problems.Add($"{member} is generic: its type arguments are not known to the worker");
                continue;
            }
            foreach (ParameterInfo parameter in method.GetParameters())
            {
                if (parameter.ParameterType.IsByRef)
                {
                    problems.Add($"{member}: parameter '{parameter.Name}' is ref/out/in; only values cross, nothing is written back");
                }
                else if (parameter.ParameterType == typeof(CancellationToken))
                {
                    // Not data, but it flows: cancelling the caller's token cancels the one the plugin gets.
                }
                else if (IsPassedByHandle(parameter.ParameterType))
                {
                    problems.AddRange(HandleProblems(parameter.ParameterType).Select(why => $"{member}: parameter '{parameter.Name}' ({Name(parameter.ParameterType)}) is passed by handle, but {why}"));
                }
                else if (WhyNotData(parameter.ParameterType, []) is string why)
                {
                    problems.Add($"{member}: parameter '{parameter.Name}' ({Name(parameter.ParameterType)}) {why}");
                }
            }
            if (ContractMethods.ResultType(method) is Type result && WhyNotData(result, []) is string whyResult)
            {
                problems.Add($"{member}: its result ({Name(result)}) {whyResult}");
            }
        }
        return problems;
    }

    /// <summary>
    /// Whether a parameter of this type is passed by handle: an interface that is not a collection. The plugin gets a
    /// proxy whose calls come back to the host's object (a callback), while the call that passed it runs.
    /// </summary>
    public static bool IsPassedByHandle(Type type) =>
        type.IsInterface && !(type.IsGenericType && (Sequences.Contains(type.GetGenericTypeDefinition()) || Maps.Contains(type.GetGenericTypeDefinition())));

    // A host object passed by handle is called with data and answers data: one level of handles, no deeper.
    private static IEnumerable<string> HandleProblems(Type handle)
    {
        if (handle.GetEvents().Length > 0)
        {
            yield return $"its events do not cross";
        }
        foreach (MethodInfo method in new ContractMethods(handle).All)
        {
            if (method.IsGenericMethodDefinition || method.GetParameters().Any(p => p.ParameterType.IsByRef))
            {
                yield return $"{handle.Name}.{method.Name} is generic or has a ref/out/in parameter";
                continue;
            }
            foreach (ParameterInfo parameter in method.GetParameters())
            {
                if (WhyNotData(parameter.ParameterType, []) is string why)
                {
                    yield return $"{handle.Name}.{method.Name}: parameter '{parameter.Name}' ({Name(parameter.ParameterType)}) {why}";
                }
            }
            if (ContractMethods.ResultType(method) is Type result && WhyNotData(result, []) is string whyResult)
            {
                yield return $"{handle.Name}.{method.Name}: its result ({Name(result)}) {whyResult}";
            }
        }
    }

    /// <summary>Null when <paramref name="type"/> is data that crosses as a copy; otherwise why it is not.</summary>
    private static string? WhyNotData(Type type, HashSet<Type> seen)
    {
        if (Scalars.Contains(type) || type.IsEnum || !seen.Add(type))
        {
            return null;
        }
        if (Nullable.GetUnderlyingType(type) is Type inner)
        {
            return WhyNotData(inner, seen);
        }
        if (type == typeof(object) || type == typeof(CancellationToken) || typeof(Delegate).IsAssignableFrom(type) || type.IsPointer || type == typeof(IntPtr) || type == typeof(UIntPtr)
            || type.IsByRefLike || typeof(Type).IsAssignableFrom(type) || typeof(Exception).IsAssignableFrom(type) || typeof(Stream).IsAssignableFrom(type)
            || typeof(Task).IsAssignableFrom(type))
        {
            return "is not data: it has no serializable form a worker could rebuild";
        }
        if (type.IsArray)
        {
            return type.GetArrayRank() == 1 ? Element(type.GetElementType()!, seen) : "is a multi-dimensional array, which does not serialize";
        }
        if (type.IsGenericType && Sequences.Contains(type.GetGenericTypeDefinition()))
        {
            return Element(type.GetGenericArguments()[0], seen);
        }
        if (type.IsGenericType && Maps.Contains(type.GetGenericTypeDefinition()))
        {
            Type key = type.GetGenericArguments()[0];
            return !Scalars.Contains(key) && !key.IsEnum ? $"is a dictionary keyed by {Name(key)}; keys must be values or strings" : Element(type.GetGenericArguments()[1], seen);
        }
        if (type.IsInterface || type.IsAbstract)
        {
            return "is an interface or abstract class: the worker cannot know which type to rebuild (interfaces cross by handle only as a parameter of a contract method)";
        }
        if (type.GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.DeclaredOnly).FirstOrDefault(IsBehaviour) is MethodInfo behaviour)
        {
            return $"is a service, not data: it has public methods ({behaviour.Name}), and the plugin would call them on a copy the host never sees (callbacks into the host are not built yet)";
        }
        foreach (PropertyInfo property in type.GetProperties(BindingFlags.Instance | BindingFlags.Public))
        {
            if (property.GetIndexParameters().Length == 0 && property.GetMethod is { IsPublic: true } && WhyNotData(property.PropertyType, seen) is string why)
            {
                return $"has property {property.Name} ({Name(property.PropertyType)}) that {why}";
            }
        }
        return null;
    }

    private static string? Element(Type element, HashSet<Type> seen) =>
        WhyNotData(element, seen) is string why ? $"holds {Name(element)}, which {why}" : null;

    // Property accessors and the members a compiler writes for records are not behaviour.
    private static bool IsBehaviour(MethodInfo method) =>
        !method.IsSpecialName && !method.IsDefined(typeof(CompilerGeneratedAttribute)) && method.Name is not ("Equals" or "GetHashCode" or "ToString" or "Deconstruct" or "<Clone>$");

    private static string Name(Type type) => type.IsGenericType
        ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(Name))}>"
        : type.Name;
}
