using System.Reflection;
using Plugboard.Benchmarks;
using Plugboard.Contracts;
using Plugboard.Contracts.Bindings;
using Xunit;

namespace Plugboard.Benchmarks.Tests;

/// <summary>The proxy benchmark runs on what bindgen emits from IBenchCounter: the checked-in proxy and header are current.</summary>
public sealed class ContractProxyFilesTests
{
    private static string RepoRoot => typeof(ContractProxyFilesTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;

    [Theory]
    [InlineData(BindingLanguage.CSharpHost, "benchmarks/Plugboard.Benchmarks/Generated")]
    [InlineData(BindingLanguage.C, "benchmarks/NativePlugins/include")]
    public void The_checked_in_bindings_are_what_bindgen_emits_from_the_benchmark_host(BindingLanguage language, string folder)
    {
        ContractModel model = ContractReader.Read(typeof(IBenchCounter).Assembly.Location);
        EmittedFile file = ContractBindings.Emit(model, language).Single();

        // Regenerate with: plugboard bindgen benchmarks/Plugboard.Benchmarks/bin/Debug/net10.0/Plugboard.Benchmarks.dll --lang csharp-host|c --out <folder>
        Assert.Equal(file.Content, File.ReadAllText(Path.Combine(RepoRoot, folder, file.FileName)));
    }
}
