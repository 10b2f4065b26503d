using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Plugboard.Compatibility.Tests;

/// <summary>
/// Compiles a case's sources to real assemblies on disk, as <c>dotnet build</c> would: against the net10.0 reference
/// assemblies of the targeting pack, with an assembly version and a <c>TargetFrameworkAttribute</c>, in Release.
/// </summary>
internal static class CaseCompiler
{
    public const string ApiName = "CaseApi";
    public const string CoreName = "CaseApi.Core";
    public const string PluginName = "CasePlugin";

    /// <summary>The contract every case's API defines; plugins expose <c>CasePlugin.Entry</c> implementing it.</summary>
    private const string Contract = "namespace CaseApi { public interface IPlugin { string Run(); } }";

    private static readonly Lazy<ImmutableArray<MetadataReference>> Framework = new(() =>
        [.. Directory.GetFiles(TestPaths.NetCoreReferenceDirectory, "*.dll").Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))]);

    private static readonly Lazy<ImmutableArray<MetadataReference>> AspNetCore = new(() =>
        [.. Directory.GetFiles(TestPaths.AspNetCoreReferenceDirectory, "*.dll").Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))]);

    /// <summary>The built case: the two API folders and the plugins folder holding CasePlugin/.</summary>
    public sealed record Built(string BuildApiDirectory, string HostApiDirectory, string PluginsDirectory)
    {
        public string PluginDirectory => Path.Combine(PluginsDirectory, PluginName);

        public string PluginPath => Path.Combine(PluginDirectory, PluginName + ".dll");

        public string HostApiPath => Path.Combine(HostApiDirectory, ApiName + ".dll");
    }

    public static Built Build(CorpusCase corpusCase, string root)
    {
        var built = new Built(Path.Combine(root, "v1"), Path.Combine(root, "v2"), Path.Combine(root, "plugins"));
        Directory.CreateDirectory(built.BuildApiDirectory);
        Directory.CreateDirectory(built.HostApiDirectory);
        Directory.CreateDirectory(built.PluginDirectory);
        string? runtimeConfig = corpusCase.Read("runtimeconfig.json");
        bool aspNetCore = runtimeConfig?.Contains("Microsoft.AspNetCore.App", StringComparison.Ordinal) == true;

        MetadataReference? buildCore = CompileApiPart(corpusCase, "Core.v1.cs", CoreName, "1.0.0.0", [], built.BuildApiDirectory);
        MetadataReference? hostCore = CompileApiPart(corpusCase, "Core.v2.cs", CoreName, "1.0.0.0", [], built.HostApiDirectory);
        MetadataReference buildApi = CompileApiPart(corpusCase, "Api.v1.cs", ApiName, "1.0.0.0", buildCore is null ? [] : [buildCore], built.BuildApiDirectory, Contract)!;
        CompileApiPart(corpusCase, "Api.v2.cs", ApiName, "1.1.0.0", hostCore is null ? [] : [hostCore], built.HostApiDirectory, Contract);

        var pluginReferences = new List<MetadataReference> { buildApi };
        if (corpusCase.Read("Private.cs") is string privateSource)
        {
            // The plugin's own copy of a library, shipped in its folder (named like an assembly of the host's closure).
            pluginReferences.Add(Emit(CoreName, privateSource, "2.0.0.0", [], Path.Combine(built.PluginDirectory, CoreName + ".dll")));
        }
        else if (buildCore is not null)
        {
            pluginReferences.Add(buildCore);
        }
        if (aspNetCore)
        {
            pluginReferences.AddRange(AspNetCore.Value);
        }
        Emit(PluginName, corpusCase.Read("Plugin.cs")!, "1.0.0.0", pluginReferences, built.PluginPath);
        if (runtimeConfig is not null)
        {
            File.WriteAllText(Path.Combine(built.PluginDirectory, PluginName + ".runtimeconfig.json"), runtimeConfig);
        }
        return built;
    }

    private static MetadataReference? CompileApiPart(CorpusCase corpusCase, string file, string name, string defaultVersion, IReadOnlyList<MetadataReference> references, string directory, string? extra = null)
    {
        string? source = corpusCase.Read(file);
        return source is null ? null : Emit(name, source, defaultVersion, references, Path.Combine(directory, name + ".dll"), extra);
    }

    private static PortableExecutableReference Emit(string assemblyName, string source, string defaultVersion, IReadOnlyList<MetadataReference> references, string path, string? extra = null)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = new List<SyntaxTree> { CSharpSyntaxTree.ParseText(source, parse, path: assemblyName + ".cs") };
        string attributes = "[assembly: System.Runtime.Versioning.TargetFramework(\".NETCoreApp,Version=v10.0\", FrameworkDisplayName = \".NET 10.0\")]\n";
        if (!source.Contains("AssemblyVersion", StringComparison.Ordinal))
        {
            attributes += $"[assembly: System.Reflection.AssemblyVersion(\"{defaultVersion}\")]\n";
        }
        trees.Add(CSharpSyntaxTree.ParseText(attributes, parse, path: "AssemblyInfo.cs"));
        if (extra is not null)
        {
            trees.Add(CSharpSyntaxTree.ParseText(extra, parse, path: "Contract.cs"));
        }
        var compilation = CSharpCompilation.Create(assemblyName, trees, [.. Framework.Value, .. references],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release,
                nullableContextOptions: NullableContextOptions.Enable, deterministic: true, allowUnsafe: true));
        using (FileStream output = File.Create(path))
        {
            var result = compilation.Emit(output);
            if (!result.Success)
            {
                throw new InvalidOperationException($"{path} does not compile:\n" + string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
            }
        }
        return MetadataReference.CreateFromFile(path);
    }
}
