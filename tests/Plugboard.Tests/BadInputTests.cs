using System.Runtime.Loader;

namespace Plugboard.Tests;

/// <summary>Bad plugins get a typed error naming the plugin, the cause and the fix; the others keep working.</summary>
public sealed class BadInputTests
{
    public static TheoryData<string, string> CorruptMainAssemblies => new()
    {
        { "zero-bytes", "The file is not a valid .NET assembly: The file is empty (0 bytes)." },
        { "truncated", "The file is not a valid .NET assembly" },
        { "random", "The file is not a valid .NET assembly" },
        { "elf", "The file is not a valid .NET assembly" },
    };

    [Theory]
    [MemberData(nameof(CorruptMainAssemblies))]
    public async Task Corrupt_or_non_NET_files_are_rejected_and_the_others_load(string kind, string expected)
    {
        using var plugins = new ScratchPlugins("IdentityPlugin");
        string folder = plugins.Add("Json13Plugin", "Broken");
        string dll = Path.Combine(folder, "Broken.dll");
        byte[] good = File.ReadAllBytes(Path.Combine(folder, "Json13Plugin.dll"));
        File.Delete(Path.Combine(folder, "Json13Plugin.dll"));
        File.Delete(Path.Combine(folder, "Json13Plugin.deps.json"));
        File.WriteAllBytes(dll, kind switch
        {
            "zero-bytes" => [],
            "truncated" => good[..(good.Length / 3)],
            "random" => RandomBytes(4096),
            "elf" => File.ReadAllBytes("/bin/sh"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        });
        await using var host = new PluginHost<ILedgerPlugin>();

        PluginCatalog catalog = host.Discover(plugins.Root);
        PluginLoadResult<ILedgerPlugin> result = await host.LoadAllAsync(catalog);

        PluginFailure failure = Assert.Single(result.Failed);
        Assert.Equal(PluginErrorCode.NotAManagedAssembly, failure.Error.Code);
        Assert.StartsWith($"PB0103 plugin 'Broken' ({dll}): {expected}", failure.Error.Message, StringComparison.Ordinal);
        Assert.Contains("Fix: Rebuild the plugin", failure.Error.Message, StringComparison.Ordinal);
        Assert.Equal("IdentityPlugin", Assert.Single(result.Loaded).Id);
        Assert.Equal("IdentityPlugin", Assert.Single(result.Instances).Create(1m, "still works").CreatedBy);
    }

    [Fact]
    public void A_reference_assembly_is_rejected()
    {
        using var plugins = new ScratchPlugins("IdentityPlugin");
        File.Copy(TestPlugins.ReferenceAssembly("IdentityPlugin"), plugins.PathOf("IdentityPlugin", "IdentityPlugin.dll"), overwrite: true);
        var host = new PluginHost<ILedgerPlugin>();

        PluginException error = Assert.Single(host.Discover(plugins.Root).Find("IdentityPlugin")!.Problems);

        Assert.Equal(PluginErrorCode.ReferenceAssembly, error.Code);
        Assert.Contains("The file is a reference assembly: it has metadata but no code to run.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_without_a_main_assembly_says_what_it_expected()
    {
        using var plugins = new ScratchPlugins();
        Directory.CreateDirectory(Path.Combine(plugins.Root, "Empty"));
        var host = new PluginHost<ILedgerPlugin>();

        PluginException error = Assert.Single(host.Discover(plugins.Root).Find("Empty")!.Problems);

        Assert.Equal(PluginErrorCode.AssemblyNotFound, error.Code);
        Assert.Contains("expected Empty.dll", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_throwing_constructor_fails_that_plugin_only_and_leaves_nothing_loaded()
    {
        using var plugins = new ScratchPlugins("ThrowingCtorPlugin", "IdentityPlugin");
        await using var host = new PluginHost<ILedgerPlugin>();

        PluginLoadResult<ILedgerPlugin> result = await host.LoadAllAsync(host.Discover(plugins.Root));

        PluginFailure failure = Assert.Single(result.Failed);
        Assert.Equal(PluginErrorCode.ConstructorThrew, failure.Error.Code);
        Assert.Contains("The constructor of 'ThrowingCtorPlugin.ThrowingCtorPlugin' threw InvalidOperationException: the plugin's config file is missing", failure.Error.Message, StringComparison.Ordinal);
        Assert.Equal("System.InvalidOperationException", Assert.IsType<PluginCodeException>(failure.Error.InnerException).OriginalType);
        Assert.Contains("ThrowingCtorPlugin..ctor", failure.Error.InnerException!.StackTrace, StringComparison.Ordinal);
        Assert.Equal("IdentityPlugin", Assert.Single(result.Loaded).Id);
        Assert.True(GcLoop.Until(() => !AssemblyLoadContext.All.Any(c => c.Name == "Plugboard:ThrowingCtorPlugin")), "the failed plugin's context was not collected");
    }

    [Fact]
    public async Task Duplicate_ids_reject_every_copy_and_name_all_folders()
    {
        using var plugins = new ScratchPlugins("DuplicateAPlugin", "DuplicateBPlugin", "IdentityPlugin");
        await using var host = new PluginHost<ILedgerPlugin>();

        PluginCatalog catalog = host.Discover(plugins.Root);
        PluginLoadResult<ILedgerPlugin> result = await host.LoadAllAsync(catalog);

        Assert.Equal(2, result.Failed.Count);
        foreach (PluginFailure failure in result.Failed)
        {
            Assert.Equal(PluginErrorCode.DuplicatePluginId, failure.Error.Code);
            Assert.Contains("2 plugin folders declare the id 'twin'", failure.Error.Message, StringComparison.Ordinal);
            Assert.Contains(Path.Combine(plugins.Root, "DuplicateAPlugin"), failure.Error.Message, StringComparison.Ordinal);
            Assert.Contains(Path.Combine(plugins.Root, "DuplicateBPlugin"), failure.Error.Message, StringComparison.Ordinal);
        }
        Assert.Equal("IdentityPlugin", Assert.Single(result.Loaded).Id);
    }

    [Fact]
    public void No_entry_point_and_an_abstract_declared_entry_are_explained()
    {
        using var plugins = new ScratchPlugins("NoEntryPlugin", "BadEntryPlugin");
        var host = new PluginHost<ILedgerPlugin>();

        PluginCatalog catalog = host.Discover(plugins.Root);

        PluginException none = Assert.Single(catalog.Find("NoEntryPlugin")!.Problems);
        Assert.Equal(PluginErrorCode.NoEntryPoint, none.Code);
        Assert.Contains("has no public, non-abstract class implementing TestApi.ILedgerPlugin", none.Message, StringComparison.Ordinal);
        PluginException abstractEntry = Assert.Single(catalog.Find("BadEntryPlugin")!.Problems);
        Assert.Equal(PluginErrorCode.EntryTypeNotCreatable, abstractEntry.Code);
        Assert.Contains("Declared entry type 'BadEntryPlugin.AbstractEntry' cannot be created: it is abstract.", abstractEntry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_entry_type_without_a_usable_public_constructor_is_explained()
    {
        using var plugins = new ScratchPlugins("NoCtorPlugin");
        var host = new PluginHost<ILedgerPlugin>();

        PluginCatalogEntry entry = Assert.Single(host.Discover(plugins.Root).Entries);

        PluginException error = Assert.Single(entry.Problems);
        Assert.Equal(PluginErrorCode.EntryTypeNotCreatable, error.Code);
        Assert.Contains("Entry type 'NoCtorPlugin.Hidden' implements TestApi.ILedgerPlugin but has no public constructor taking nothing or an IPluginContext.", error.Message, StringComparison.Ordinal);
        Assert.Contains("Fix: Add such a constructor to 'NoCtorPlugin.Hidden'.", error.Message, StringComparison.Ordinal);
    }

    private static byte[] RandomBytes(int length)
    {
        byte[] bytes = new byte[length];
        new Random(1234).NextBytes(bytes);
        return bytes;
    }
}
