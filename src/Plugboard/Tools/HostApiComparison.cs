using Plugboard.Compatibility;

namespace Plugboard.Tools;

/// <summary>
/// Compares two builds of a host API for plugin compatibility before the new one ships: what in the new build breaks
/// plugins compiled against the old one, and which plugins of a folder it would break. Uses the same metadata
/// reading and the same binding rules as the host's compatibility check; nothing is loaded. Internal (visible to
/// Plugboard.Cli): <c>plugboard api-check</c> is its one user.
/// </summary>
internal static class HostApiComparison
{
    /// <summary>Every change of <paramref name="newApiPath"/> that breaks plugins built against <paramref name="oldApiPath"/>.</summary>
    /// <param name="oldApiPath">The API assembly as plugins were built against it. Assemblies beside it (forwarding targets) are read too.</param>
    /// <param name="newApiPath">The API assembly about to ship.</param>
    /// <returns>The breaking changes, by type then member; empty when the new build is binary compatible for plugins.</returns>
    /// <exception cref="BadImageFormatException">A file is not a readable .NET assembly.</exception>
    public static IReadOnlyList<HostApiBreak> Compare(string oldApiPath, string newApiPath)
    {
        ArgumentNullException.ThrowIfNull(oldApiPath);
        ArgumentNullException.ThrowIfNull(newApiPath);
        return ApiDiff.Compare(HostApi.FromFiles([oldApiPath], null, []), HostApi.FromFiles([newApiPath], null, []));
    }
}
