namespace Plugboard.Compatibility;

/// <summary>The step of <see cref="ResolutionRule"/> that satisfies a plugin's reference.</summary>
internal enum ResolutionStep
{
    /// <summary>The host's API assembly: the host's copy.</summary>
    HostApi,

    /// <summary>Another plugin this one depends on: that plugin's loaded main assembly.</summary>
    OtherPlugin,

    /// <summary>An assembly the host shares with this plugin: the host's copy.</summary>
    Shared,

    /// <summary>A framework assembly the host loads privately into each plugin's context (<see cref="PluginHostOptions.PrivateFrameworkAssemblies"/>): the framework's file, in the plugin's context.</summary>
    PrivateFramework,

    /// <summary>
    /// The plugin's own file, private to its context (through its deps.json), even of a framework assembly: a plugin
    /// ships one only when it needs a newer version than the framework's (the SDK drops older package copies).
    /// </summary>
    PluginFile,

    /// <summary>The runtime's default: the shared framework, or the host's own copy of an assembly it does not share.</summary>
    Default,
}

/// <summary>
/// Where a plugin's reference to an assembly is satisfied: one order for the compatibility check, which reports it
/// (<see cref="AssemblyResolution"/>) and checks versions by it, and the load context, which loads by it. Were the
/// two to differ, a plugin would be checked against one assembly and run against another.
/// </summary>
internal static class ResolutionRule
{
    /// <param name="host">The host API.</param>
    /// <param name="name">The referenced assembly's simple name.</param>
    /// <param name="fromOtherPlugin">Whether a plugin this one depends on provides the assembly.</param>
    /// <param name="keepsOwnCopy">Whether this plugin keeps its own copy of a shared assembly (asked only for shared ones).</param>
    /// <param name="inPluginFolder">Whether the plugin's folder has a file of the assembly.</param>
    public static ResolutionStep Decide(HostApi host, string name, Func<string, bool> fromOtherPlugin, Func<string, bool> keepsOwnCopy, Func<string, bool> inPluginFolder)
    {
        if (host.IsApi(name))
        {
            return ResolutionStep.HostApi;
        }
        if (fromOtherPlugin(name))
        {
            return ResolutionStep.OtherPlugin;
        }
        if (host.IsShared(name) && !keepsOwnCopy(name))
        {
            return ResolutionStep.Shared;
        }
        if (host.PrivateFrameworkAssemblyPath(name) is not null)
        {
            return ResolutionStep.PrivateFramework;
        }
        return inPluginFolder(name) ? ResolutionStep.PluginFile : ResolutionStep.Default;
    }
}
