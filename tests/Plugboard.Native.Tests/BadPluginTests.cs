namespace Plugboard.Native.Tests;

/// <summary>
/// Each bad plugin is a real compiled library (tests/NativePlugins) or a real file on disk. Every case must give
/// its typed error with a message naming cause and file, and leave the host and a good plugin working.
/// </summary>
public sealed class BadPluginTests : IDisposable
{
    private readonly NativePlugin _good = TestLoaders.Create().Load(TestPaths.TestPlugin("echo"));

    public void Dispose() => _good.Dispose();

    [Theory]
    [InlineData("no-entry", PluginErrorCode.NativeEntryPointMissing, "does not export 'plugboard_entry_v1'")]
    [InlineData("entry-v2-only", PluginErrorCode.NativeEntryPointMissing, "exports plugboard_entry_v2: it was built for ABI major 2")]
    [InlineData("bad-magic", PluginErrorCode.NativeBadMagic, "magic is 0xDEADBEEF")]
    [InlineData("abi-major-2", PluginErrorCode.NativeAbiVersionUnsupported, "declares ABI major 2")]
    [InlineData("struct-too-small", PluginErrorCode.NativeStructTooSmall, "struct_size is 40 bytes; ABI 1.0 needs at least 112")]
    [InlineData("null-invoke", PluginErrorCode.NativeRequiredFunctionMissing, "required function 'invoke' is NULL")]
    [InlineData("init-fails", PluginErrorCode.NativeCallFailed, "init returned PB_ERR_FAILED (-1): the database file wordfreq.db is missing")]
    [InlineData("init-fails-silently", PluginErrorCode.NativeCallFailed, "init returned PB_ERR_NOT_FOUND (-4): the plugin gave no message")]
    [InlineData("bad-utf8-name", PluginErrorCode.NativeInvalidUtf8, "not valid UTF-8")]
    public void A_broken_c_plugin_gives_its_typed_error(string name, PluginErrorCode code, string text)
    {
        string folder = TestPaths.TestPlugin(name);
        var e = Assert.Throws<PluginException>(() => TestLoaders.Create().Load(folder));
        Assert.Equal(code, e.Code);
        Assert.Contains(text, e.Message, StringComparison.Ordinal);
        Assert.Contains($"plugin '{name}'", e.Message, StringComparison.Ordinal);
        Assert.Contains(folder, e.Message, StringComparison.Ordinal);
        Assert.Contains("Fix: ", e.Message, StringComparison.Ordinal);
        Assert.StartsWith(PluginException.FormatCode(code), e.Message, StringComparison.Ordinal);
        AssertGoodPluginStillAnswers();
    }

    [Fact]
    public void Library_missing_for_this_runtime_identifier_is_PB0402()
    {
        string folder = TestPaths.NewTempDirectory("win-only");
        File.WriteAllText(Path.Combine(folder, "plugin.json"),
            """{"id":"win-only","version":"1.0.0","kind":"native","native":{"abiMajor":1,"libraries":{"win-x64":"winonly.dll"}}}""");
        var e = Assert.Throws<PluginException>(() => TestLoaders.Create().Load(folder));
        Assert.Equal(PluginErrorCode.NativeLibraryMissingForRuntime, e.Code);
        Assert.Contains("names no library for runtime 'linux-x64' (it has: win-x64)", e.Message, StringComparison.Ordinal);
        AssertGoodPluginStillAnswers();
    }

    [Fact]
    public void Library_file_named_but_absent_is_PB0402()
    {
        string folder = TestPaths.NewTempDirectory("absent");
        File.WriteAllText(Path.Combine(folder, "plugin.json"),
            """{"id":"absent","version":"1.0.0","kind":"native","native":{"abiMajor":1,"libraries":{"linux-x64":"libabsent.so"}}}""");
        var e = Assert.Throws<PluginException>(() => TestLoaders.Create().Load(folder));
        Assert.Equal(PluginErrorCode.NativeLibraryMissingForRuntime, e.Code);
        Assert.Contains("'libabsent.so' for runtime 'linux-x64', but the file does not exist", e.Message, StringComparison.Ordinal);
        AssertGoodPluginStillAnswers();
    }

    [Fact]
    public void A_text_file_named_like_a_library_is_PB0403_with_the_loader_message()
    {
        string folder = TestPaths.NewTempDirectory("text");
        File.WriteAllText(Path.Combine(folder, "plugin.json"),
            """{"id":"text","version":"1.0.0","kind":"native","native":{"abiMajor":1,"libraries":{"linux-x64":"libtext.so"}}}""");
        File.WriteAllText(Path.Combine(folder, "libtext.so"), string.Concat(Enumerable.Repeat("not a shared library, just words in a file\n", 5)));
        var e = Assert.Throws<PluginException>(() => TestLoaders.Create().Load(folder));
        Assert.Equal(PluginErrorCode.NativeLibraryLoadFailed, e.Code);
        Assert.Contains("operating system loader refused the library", e.Message, StringComparison.Ordinal);
        Assert.Contains("invalid ELF header", e.Message, StringComparison.Ordinal);
        AssertGoodPluginStillAnswers();
    }

    [Fact]
    public void A_manifest_with_a_newer_abi_major_is_refused_before_opening_the_library()
    {
        string folder = TestPaths.NewTempDirectory("abi9");
        File.WriteAllText(Path.Combine(folder, "plugin.json"),
            """{"id":"abi9","version":"1.0.0","kind":"native","native":{"abiMajor":9,"libraries":{"linux-x64":"libabi9.so"}}}""");
        // The library is deliberately not a library: reaching dlopen would give PB0403 instead.
        File.WriteAllText(Path.Combine(folder, "libabi9.so"), "garbage");
        var e = Assert.Throws<PluginException>(() => TestLoaders.Create().Load(folder));
        Assert.Equal(PluginErrorCode.NativeAbiVersionUnsupported, e.Code);
        Assert.Contains("declares ABI major 9", e.Message, StringComparison.Ordinal);
        Assert.Contains("not opened", e.Message, StringComparison.Ordinal);
        AssertGoodPluginStillAnswers();
    }

    [Theory]
    [InlineData(null, "has no plugin.json")]
    [InlineData("{ not json", "not valid JSON")]
    [InlineData("""{"id":"m","version":"1.0.0","kind":"native"}""", "the 'native' section (abiMajor, libraries) is missing")]
    [InlineData("""{"id":"m","version":"1.0.0","kind":"native","native":{"libraries":{"linux-x64":"x.so"}}}""", "'native.abiMajor' must be a positive integer")]
    [InlineData("""{"id":"m","version":"1.0.0","kind":"native","native":{"abiMajor":1,"librarys":{}}}""", "Unknown field 'native.librarys'")]
    [InlineData("""{"id":"m","version":"1.0.0","kind":"managed"}""", "kind \"managed\", not \"native\"")]
    public void A_bad_manifest_is_PB0401(string? json, string text)
    {
        string folder = TestPaths.NewTempDirectory("manifest");
        if (json is not null)
        {
            File.WriteAllText(Path.Combine(folder, "plugin.json"), json);
        }
        var e = Assert.Throws<PluginException>(() => TestLoaders.Create().Load(folder));
        Assert.Equal(PluginErrorCode.NativeManifestInvalid, e.Code);
        Assert.Contains(text, e.Message, StringComparison.Ordinal);
        AssertGoodPluginStillAnswers();
    }

    [Fact]
    public void A_library_path_outside_the_plugin_folder_is_refused()
    {
        string folder = TestPaths.NewTempDirectory("escape");
        File.WriteAllText(Path.Combine(folder, "plugin.json"),
            """{"id":"escape","version":"1.0.0","kind":"native","native":{"abiMajor":1,"libraries":{"linux-x64":"../../libz.so"}}}""");
        var e = Assert.Throws<PluginException>(() => TestLoaders.Create().Load(folder));
        Assert.Equal(PluginErrorCode.PathEscapesPluginDirectory, e.Code);
    }

    [Fact]
    public void LoadAll_reports_bad_plugins_and_loads_the_rest()
    {
        IReadOnlyList<NativePlugin> loaded = TestLoaders.Create().LoadAll(TestPaths.TestPlugins, out IReadOnlyList<PluginException> failures);
        try
        {
            Assert.Contains(loaded, p => p.Id == "echo");
            Assert.Contains(failures, f => f.PluginId == "bad-magic" && f.Code == PluginErrorCode.NativeBadMagic);
            Assert.DoesNotContain(loaded, p => p.Id == "bad-magic");
            Assert.Equal("ok", loaded.First(p => p.Id == "echo").Invoke("echo", "ok"));
        }
        finally
        {
            foreach (NativePlugin plugin in loaded)
            {
                plugin.Dispose();
            }
        }
    }

    [Fact]
    public void LoadAll_leaves_managed_plugin_folders_to_the_managed_loader_and_reports_broken_native_ones()
    {
        string root = TestPaths.NewTempDirectory("mixed-root");
        string echo = Directory.CreateDirectory(Path.Combine(root, "a-echo")).FullName;
        foreach (string file in Directory.GetFiles(TestPaths.TestPlugin("echo")))
        {
            File.Copy(file, Path.Combine(echo, Path.GetFileName(file)));
        }
        string managed = Directory.CreateDirectory(Path.Combine(root, "b-managed")).FullName;
        File.WriteAllText(Path.Combine(managed, "plugin.json"), """{"id":"word-stats","version":"1.0.0","kind":"managed"}""");
        string broken = Directory.CreateDirectory(Path.Combine(root, "c-broken")).FullName;
        File.WriteAllText(Path.Combine(broken, "plugin.json"), """{"id":"broken","version":"1.0.0","kind":"native","native":{"abiMajor":1,"libraries":{"win-x64":"x.dll"}}}""");
        Directory.CreateDirectory(Path.Combine(root, "d-no-manifest"));

        IReadOnlyList<NativePlugin> loaded = TestLoaders.Create().LoadAll(root, out IReadOnlyList<PluginException> failures);
        try
        {
            Assert.Equal(["echo"], loaded.Select(p => p.Id));
            PluginException failure = Assert.Single(failures);
            Assert.Equal(PluginErrorCode.NativeLibraryMissingForRuntime, failure.Code);
            Assert.Equal("broken", failure.PluginId);
        }
        finally
        {
            foreach (NativePlugin plugin in loaded)
            {
                plugin.Dispose();
            }
        }
    }

    private void AssertGoodPluginStillAnswers() => Assert.Equal("alive", _good.Invoke("echo", "alive"));
}
