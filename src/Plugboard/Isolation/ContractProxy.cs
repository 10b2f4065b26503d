using System.Reflection;

namespace Plugboard.Isolation;

/// <summary>
/// The host's side of one entry instance that lives in a worker: implements the contract interface
/// (<see cref="DispatchProxy"/>) and forwards each call to the worker through the supervisor. Synchronous methods
/// block until the reply (bounded by the call's deadline); methods returning a task return one that completes with it.
/// </summary>
internal class ContractProxy : DispatchProxy
{
    private WorkerSupervisor? _supervisor;
    private ContractMethods? _methods;
    private int _instance;

    internal static TContract Create<TContract>(WorkerSupervisor supervisor, ContractMethods methods, int instance) where TContract : class
    {
        TContract proxy = Create<TContract, ContractProxy>();
        var self = (ContractProxy)(object)proxy;
        self._supervisor = supervisor;
        self._methods = methods;
        self._instance = instance;
        return proxy;
    }

    /// <inheritdoc />
    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        int index = _methods!.IndexOf(targetMethod);
        return ContractMethods.IsAsync(targetMethod)
            ? ContractMethods.Returned(targetMethod, _supervisor!.CallAsync(_instance, index, targetMethod, args ?? []))
            : _supervisor!.Call(_instance, index, targetMethod, args ?? []);
    }
}
