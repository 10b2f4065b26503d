using System.Reflection;

namespace Plugboard.Compatibility.Tests;

/// <summary>Paths the build passes in as assembly metadata.</summary>
internal static class TestPaths
{
    public static string CasesDirectory => Metadata("CasesDirectory");

    public static string RepoRoot => Metadata("RepoRoot");

    public static string NetCoreReferenceDirectory => Existing(Metadata("NetCoreReferenceDirectory"));

    public static string AspNetCoreReferenceDirectory => Existing(Metadata("AspNetCoreReferenceDirectory"));

    private static string Existing(string directory) => Directory.Exists(directory)
        ? directory
        : throw new DirectoryNotFoundException($"The targeting pack {directory} is missing: the corpus compiles against the same reference assemblies as dotnet build.");

    private static string Metadata(string key) =>
        typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
