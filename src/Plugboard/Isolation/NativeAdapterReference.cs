using System.Reflection;
using System.Runtime.CompilerServices;
using Plugboard.Native;

namespace Plugboard.Isolation;

/// <summary>
/// The host's native adapter (<see cref="PluginHostOptions.AddNativeAdapter{TContract}(Func{NativePlugin, TContract})"/>)
/// named so that a worker process can make the same one: a delegate cannot cross a process boundary, but a method
/// can, by its assembly file, its type and its metadata token. Only an adapter that holds nothing of the host's can be
/// remade there: a static method (a generated proxy's <c>Create</c>) or a lambda that captures no variable (the
/// compiler's stateless closure class, recreated empty).
/// </summary>
/// <param name="AssemblyPath">The file of the assembly that declares the method (registered for the worker's resolution).</param>
/// <param name="DeclaringType">The method's type, assembly-qualified.</param>
/// <param name="MetadataToken">The method's token in its module: exact, whatever its (compiler-given) name.</param>
/// <param name="OnEmptyClosure">Whether the method is an instance method of a closure class without fields.</param>
internal sealed record NativeAdapterReference(string AssemblyPath, string DeclaringType, int MetadataToken, bool OnEmptyClosure)
{
    /// <summary>Names <paramref name="adapter"/>, or says why a worker cannot make it.</summary>
    public static NativeAdapterReference? Describe(Delegate adapter, out string? problem)
    {
        MethodInfo method = adapter.Method;
        Type? type = method.DeclaringType;
        problem = adapter.GetInvocationList().Length != 1 ? "it is a delegate of several methods"
            : type is null ? $"its method {method.Name} belongs to no type"
            : type.Assembly.IsDynamic || type.Assembly.Location.Length == 0 ? $"its assembly {type.Assembly.GetName().Name} has no file a worker could load"
            : type.Assembly.IsCollectible ? $"its assembly {type.Assembly.GetName().Name} is collectible (loaded into a context a worker does not have)"
            : method.IsStatic || IsEmptyClosure(adapter.Target) ? null
            : adapter.Target?.GetType().IsDefined(typeof(CompilerGeneratedAttribute)) == true
                ? $"it is a lambda that captures {string.Join(", ", Fields(adapter.Target.GetType()).Select(f => f.Name))}: the worker process cannot have the host's objects"
                : $"it is the instance method {type.Name}.{method.Name} of a host object: the worker process cannot have the host's objects";
        return problem is null ? new NativeAdapterReference(type!.Assembly.Location, type.AssemblyQualifiedName!, method.MetadataToken, !method.IsStatic) : null;
    }

    /// <summary>In the worker: the same adapter, made from its method.</summary>
    /// <exception cref="InvalidOperationException">The method is not one of <typeparamref name="TContract"/>'s adapters.</exception>
    public Func<NativePlugin, TContract> Resolve<TContract>() where TContract : class
    {
        Type type = Type.GetType(DeclaringType, throwOnError: true)!;
        var method = (MethodInfo)(type.Module.ResolveMethod(MetadataToken)
            ?? throw new InvalidOperationException($"The worker found no method {MetadataToken:x8} in {DeclaringType}."));
        object? target = OnEmptyClosure ? RuntimeHelpers.GetUninitializedObject(type) : null;
        return (Func<NativePlugin, TContract>)Delegate.CreateDelegate(typeof(Func<NativePlugin, TContract>), target, method);
    }

    private static bool IsEmptyClosure(object? target) =>
        target is not null && target.GetType().IsDefined(typeof(CompilerGeneratedAttribute)) && !Fields(target.GetType()).Any();

    private static IEnumerable<FieldInfo> Fields(Type type) => type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
}
