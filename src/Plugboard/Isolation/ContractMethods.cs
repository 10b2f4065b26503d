using System.Reflection;

namespace Plugboard.Isolation;

/// <summary>
/// The methods of a contract interface (with the interfaces it extends) in one stable order, so that a call names its
/// method by index: host and worker load the same build of the host API (the handshake checks its identity), so
/// both compute the same table.
/// </summary>
internal sealed class ContractMethods
{
    private readonly Dictionary<MethodInfo, int> _indexes = [];

    public ContractMethods(Type contract)
    {
        IEnumerable<Type> interfaces = [contract, .. contract.GetInterfaces().OrderBy(i => i.FullName, StringComparer.Ordinal)];
        All = [.. interfaces.SelectMany(i => i.GetMethods(BindingFlags.Instance | BindingFlags.Public).Where(m => m.IsAbstract).OrderBy(m => m.MetadataToken))];
        for (int i = 0; i < All.Count; i++)
        {
            _indexes[All[i]] = i;
        }
    }

    public IReadOnlyList<MethodInfo> All { get; }

    public int IndexOf(MethodInfo method) => _indexes.TryGetValue(method, out int index) ? index
        : throw new InvalidOperationException($"{method.DeclaringType?.FullName}.{method.Name} is not a method of the contract.");

    /// <summary>The type a method's result has on the wire: T for Task&lt;T&gt; and ValueTask&lt;T&gt;, null for void, Task and ValueTask.</summary>
    public static Type? ResultType(MethodInfo method)
    {
        Type returned = method.ReturnType;
        if (returned == typeof(void) || returned == typeof(Task) || returned == typeof(ValueTask))
        {
            return null;
        }
        if (returned.IsGenericType && (returned.GetGenericTypeDefinition() == typeof(Task<>) || returned.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            return returned.GetGenericArguments()[0];
        }
        return returned;
    }

    /// <summary>
    /// What a proxy returns for <paramref name="method"/> whose result comes from <paramref name="call"/>: the result
    /// itself for a synchronous method (blocking until it comes), else a task of the method's declared type.
    /// </summary>
    public static object? Returned(MethodInfo method, Task<object?> call)
    {
        if (!IsAsync(method))
        {
            return call.GetAwaiter().GetResult();
        }
        Type returned = method.ReturnType;
        if (returned == typeof(Task))
        {
            return call;
        }
        if (returned == typeof(ValueTask))
        {
            return new ValueTask(call);
        }
        var typed = (Task)CastMethod.MakeGenericMethod(ResultType(method)!).Invoke(null, [call])!;
        return returned.GetGenericTypeDefinition() == typeof(ValueTask<>) ? Activator.CreateInstance(returned, typed) : typed;
    }

    private static readonly MethodInfo CastMethod = typeof(ContractMethods).GetMethod(nameof(CastAsync), BindingFlags.Static | BindingFlags.NonPublic)!;

    private static async Task<T> CastAsync<T>(Task<object?> call) => (T)(await call.ConfigureAwait(false))!;

    /// <summary>Whether the method returns a task (it is awaited in the worker and completes later in the host).</summary>
    public static bool IsAsync(MethodInfo method) =>
        typeof(Task).IsAssignableFrom(method.ReturnType) || method.ReturnType == typeof(ValueTask)
        || (method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(ValueTask<>));
}
