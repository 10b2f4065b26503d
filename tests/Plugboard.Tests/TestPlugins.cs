namespace Plugboard.Tests;

/// <summary>Where the test plugin projects' sources and by-products are (their build outputs: <see cref="Plugboard.TestSupport.PluginFolder"/>).</summary>
internal static class TestPlugins
{
    /// <summary>The source folder of the test plugin projects (tests/Plugins).</summary>
    public static string SourceDirectory => PluginFolder.Metadata("TestPluginsSourceDirectory");

    /// <summary>The reference assembly the compiler produced for a test plugin (obj/.../ref).</summary>
    public static string ReferenceAssembly(string name) =>
        Path.Combine(SourceDirectory, name, "obj", PluginFolder.Metadata("Configuration"), "net10.0", "ref", name + ".dll");
}
