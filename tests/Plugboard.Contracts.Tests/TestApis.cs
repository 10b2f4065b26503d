using System.Reflection;

namespace Plugboard.Contracts.Tests;

/// <summary>The host API builds the tests read (paths the build wrote into this assembly's metadata).</summary>
internal static class TestApis
{
    public static string Shapes => Metadata("ShapesApi");

    public static string ShapesReordered => Metadata("ShapesApiReordered");

    public static string ShapesAppended => Metadata("ShapesApiAppended");

    public static string Bad => Metadata("BadShapesApi");

    public static string Notebook => Metadata("NotebookApi");

    public static string RepoRoot => Metadata("RepoRoot");

    public static ContractModel Read(string path)
    {
        Assert.True(File.Exists(path), $"the test API {path} was not built");
        return ContractReader.Read(path);
    }

    public static string NewTempDirectory(string name)
    {
        string path = Path.Combine(Path.GetTempPath(), "plugboard-contracts-tests", name + "-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    private static string Metadata(string key) =>
        typeof(TestApis).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
