using System.Reflection;
using System.Text.Json;
using Plugboard.Isolation;

namespace Plugboard.Serving;

/// <summary>
/// In the worker, a host object the host passed by handle (an interface argument): each call of its methods goes back
/// to the host's object and waits for its answer. Valid while the call that passed it runs; afterwards the host
/// refuses it.
/// </summary>
internal class HostObjectProxy : DispatchProxy
{
    private HostCalls? _calls;
    private ContractMethods? _methods;
    private long _handle;

    public static object Create(Type contract, HostCalls calls, long handle)
    {
        object proxy = Create(contract, typeof(HostObjectProxy));
        var self = (HostObjectProxy)proxy;
        self._calls = calls;
        self._methods = new ContractMethods(contract);
        self._handle = handle;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        ParameterInfo[] parameters = targetMethod.GetParameters();
        var json = new JsonElement[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            json[i] = JsonSerializer.SerializeToElement(args![i], parameters[i].ParameterType, WorkerProtocol.Json);
        }
        return ContractMethods.Returned(targetMethod, ResultAsync(targetMethod, _calls!.CallAsync(_handle, _methods!.IndexOf(targetMethod), targetMethod.Name, json)));
    }

    private static async Task<object?> ResultAsync(MethodInfo method, Task<JsonElement?> reply)
    {
        JsonElement? result = await reply.ConfigureAwait(false);
        return ContractMethods.ResultType(method) is Type type && result is JsonElement json ? json.Deserialize(type, WorkerProtocol.Json) : null;
    }
}
