using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Text.Json;

namespace Plugboard.Isolation;

/// <summary>
/// Runs one contract method on a local object for the other side: the worker on the plugin's entry instance, the
/// host on an object it passed by handle. Arguments come as JSON of the parameters' types, the result goes back as
/// JSON of the method's result type; what the method throws is thrown as itself (never a TargetInvocationException).
/// </summary>
internal static class MethodCall
{
    /// <summary>The arguments of a call; <paramref name="special"/> builds those that are not data (a token, a handle).</summary>
    public static object?[] Arguments(MethodInfo method, IReadOnlyList<JsonElement> json, Func<ParameterInfo, JsonElement, (bool Built, object? Value)>? special = null)
    {
        ParameterInfo[] parameters = method.GetParameters();
        var arguments = new object?[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            (bool built, object? value) = special?.Invoke(parameters[i], json[i]) ?? (false, null);
            arguments[i] = built ? value : json[i].Deserialize(parameters[i].ParameterType, WorkerProtocol.Json);
        }
        return arguments;
    }

    public static async Task<JsonElement?> RunAsync(MethodInfo method, object target, object?[] arguments)
    {
        object? returned;
        try
        {
            returned = method.Invoke(target, arguments);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is Exception thrown)
        {
            ExceptionDispatchInfo.Throw(thrown);
            throw;
        }
        object? result = await ResultAsync(method, returned).ConfigureAwait(false);
        Type? resultType = ContractMethods.ResultType(method);
        return resultType is null ? null : JsonSerializer.SerializeToElement(result, resultType, WorkerProtocol.Json);
    }

    // A task's result, once it completed (its own exception, not an AggregateException, when it failed).
    private static async Task<object?> ResultAsync(MethodInfo method, object? returned)
    {
        switch (returned)
        {
            case Task task:
                await task.ConfigureAwait(false);
                return ContractMethods.ResultType(method) is null ? null : task.GetType().GetProperty("Result")!.GetValue(task);
            case ValueTask valueTask:
                await valueTask.ConfigureAwait(false);
                return null;
            case not null when method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(ValueTask<>):
                var asTask = (Task)method.ReturnType.GetMethod("AsTask")!.Invoke(returned, null)!;
                await asTask.ConfigureAwait(false);
                return asTask.GetType().GetProperty("Result")!.GetValue(asTask);
            default:
                return returned;
        }
    }
}
