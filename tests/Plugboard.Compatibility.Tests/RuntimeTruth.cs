using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace Plugboard.Compatibility.Tests;

/// <summary>
/// The ground truth of a case, from the runtime itself and not from Plugboard: the host API v2 in a plain collectible
/// context, the plugin in another one that shares exactly the API assembly (its other references resolve from its own
/// folder first, then the host's), then the plugin's entry is created and its <c>Run</c> called through the contract;
/// <c>Run</c> exercises every host API member the plugin uses.
/// </summary>
internal static class RuntimeTruth
{
    /// <summary>
    /// What the runtime did: <see cref="Failure"/> is null when the plugin ran, else the binary-compatibility exception
    /// it threw, as text (the exception itself would keep the collectible contexts alive).
    /// </summary>
    public sealed record Outcome(string? FailureType, string? Failure, WeakReference Contexts)
    {
        public bool Runs => Failure is null;

        public string Text => FailureType ?? "runs";
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Outcome Run(CaseCompiler.Built built)
    {
        var host = new HostContext(built.HostApiDirectory);
        var plugin = new PluginContext(built.PluginDirectory, host);
        Exception? failure = null;
        string? failureType = null, failureText = null;
        try
        {
            Assembly assembly = plugin.LoadFromAssemblyPath(built.PluginPath);
            Type contract = host.LoadFromAssemblyName(new AssemblyName(CaseCompiler.ApiName)).GetType("CaseApi.IPlugin", throwOnError: true)!;
            Type entryType = assembly.GetType("CasePlugin.Entry", throwOnError: true)!;
            object entry = Activator.CreateInstance(entryType)!;
            if (!contract.IsInstanceOfType(entry))
            {
                throw new InvalidCastException($"CasePlugin.Entry does not implement {contract.AssemblyQualifiedName} in this host.");
            }
            _ = contract.GetMethod("Run")!.Invoke(entry, null);
        }
        catch (Exception ex)
        {
            failure = ex is TargetInvocationException { InnerException: { } inner } ? inner : ex;
            if (!IsBinaryBreak(failure))
            {
                throw new InvalidOperationException($"The case's plugin failed for a reason that is not binary compatibility: {failure}", failure);
            }
        }
        if (failure is not null)
        {
            (failureType, failureText) = (failure.GetType().Name, failure.ToString());
        }
        plugin.Unload();
        host.Unload();
        return new Outcome(failureType, failureText, new WeakReference(plugin));
    }

    private static bool IsBinaryBreak(Exception ex) => ex is TypeLoadException or MissingMemberException or MemberAccessException
        or InvalidCastException or BadImageFormatException or FileNotFoundException or FileLoadException;

    private sealed class HostContext(string directory) : AssemblyLoadContext("truth-host", isCollectible: true)
    {
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            string path = Path.Combine(directory, assemblyName.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }

    private sealed class PluginContext(string directory, HostContext host) : AssemblyLoadContext("truth-plugin", isCollectible: true)
    {
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            if (assemblyName.Name == CaseCompiler.ApiName)
            {
                return host.LoadFromAssemblyName(assemblyName);
            }
            string own = Path.Combine(directory, assemblyName.Name + ".dll");
            if (File.Exists(own))
            {
                return LoadFromAssemblyPath(own);
            }
            try
            {
                return host.LoadFromAssemblyName(assemblyName);
            }
            catch (FileNotFoundException)
            {
                return null;
            }
        }
    }
}
