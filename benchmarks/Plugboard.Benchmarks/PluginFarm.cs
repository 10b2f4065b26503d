using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace Plugboard.Benchmarks;

/// <summary>
/// Makes the benchmark's inputs: N plugin folders cloned from ONE real build of the template plugin
/// (benchmarks/Plugins/BenchPlugin), each under its own assembly identity. The template's assembly name
/// (BenchPlugin_000000) has the same length as every clone's (BenchPlugin_000417), so the identity is patched in
/// place in the assembly (metadata strings, version resource) and the deps.json, and nothing else moves. Every clone
/// is a distinct assembly to the runtime, to MEF and to Plugboard's catalog, so nothing is served from a cache keyed
/// by name. Clones are cached under artifacts/benchmarks/&lt;config&gt;/plugins, keyed by a hash of the template build.
/// </summary>
internal static class PluginFarm
{
    public const string TemplateName = "BenchPlugin_000000";
    public const string EntryTypeName = "BenchPlugins.Calculator";

    private static string Metadata(string key) =>
        typeof(PluginFarm).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    public static string TemplateDirectory(string project = "BenchPlugin") => Path.Combine(Metadata("TemplateDirectory"), project);

    public static string CacheRoot => Metadata("CacheDirectory");

    public static string RepoRoot => Metadata("RepoRoot");

    /// <summary>Where the web benchmark's plugin versions are built (one folder per project).</summary>
    public static string WebPluginsDirectory => Metadata("WebPluginsDirectory");

    public static string NameOf(int index) => $"BenchPlugin_{index:D6}";

    public static string MainFile(string pluginsDirectory, int index) => Path.Combine(pluginsDirectory, NameOf(index), NameOf(index) + ".dll");

    /// <summary>A folder holding <paramref name="count"/> plugin folders BenchPlugin_000001.. (made once, then cached).</summary>
    public static string Get(int count, string project = "BenchPlugin", int first = 1)
    {
        string template = TemplateDirectory(project);
        string hash = TemplateHash(template);
        string directory = Path.Combine(CacheRoot, $"{project}-{hash}-{first}-{count}");
        string done = Path.Combine(directory, ".complete");
        if (File.Exists(done))
        {
            return directory;
        }
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
        RemoveStale(hash);
        string staging = directory + ".tmp-" + Environment.ProcessId;
        Directory.CreateDirectory(staging);
        for (int i = first; i < first + count; i++)
        {
            Clone(template, Path.Combine(staging, NameOf(i)), NameOf(i));
        }
        Directory.Move(staging, directory);
        // The marker sits beside the plugin folders; discovery ignores files, it scans sub-folders.
        File.WriteAllText(done, hash);
        return directory;
    }

    /// <summary>Writes the template's build output into <paramref name="target"/> under assembly name <paramref name="name"/>.</summary>
    public static void Clone(string template, string target, string name, bool mainAssemblyLast = false)
    {
        if (name.Length != TemplateName.Length)
        {
            throw new ArgumentException($"clone names must be {TemplateName.Length} characters long", nameof(name));
        }
        Directory.CreateDirectory(target);
        IEnumerable<string> files = Directory.GetFiles(template);
        if (mainAssemblyLast)
        {
            // Hot reload: the main assembly is written last, so "file written" means the build finished.
            files = files.OrderBy(f => Path.GetExtension(f) == ".dll" ? 1 : 0);
        }
        foreach (string file in files)
        {
            string fileName = Path.GetFileName(file).Replace(TemplateName, name, StringComparison.Ordinal);
            byte[] bytes = File.ReadAllBytes(file);
            Replace(bytes, Encoding.UTF8.GetBytes(TemplateName), Encoding.UTF8.GetBytes(name));
            Replace(bytes, Encoding.Unicode.GetBytes(TemplateName), Encoding.Unicode.GetBytes(name));
            File.WriteAllBytes(Path.Combine(target, fileName), bytes);
        }
    }

    /// <summary>Clones of an older template build are of no further use.</summary>
    private static void RemoveStale(string hash)
    {
        if (!Directory.Exists(CacheRoot))
        {
            return;
        }
        foreach (string stale in Directory.EnumerateDirectories(CacheRoot).Where(d => !Path.GetFileName(d).Contains(hash, StringComparison.Ordinal) && !d.Contains(".tmp-", StringComparison.Ordinal)))
        {
            try
            {
                Directory.Delete(stale, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static void Replace(byte[] bytes, byte[] from, byte[] to)
    {
        Span<byte> span = bytes;
        int offset = 0;
        while (true)
        {
            int found = span[offset..].IndexOf(from);
            if (found < 0)
            {
                return;
            }
            to.CopyTo(span[(offset + found)..]);
            offset += found + from.Length;
        }
    }

    private static string TemplateHash(string template)
    {
        string main = Path.Combine(template, TemplateName + ".dll");
        if (!File.Exists(main))
        {
            throw new InvalidOperationException($"The template plugin was not built into {template}; build benchmarks/Plugboard.Benchmarks first.");
        }
        return Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(main)))[..12].ToLowerInvariant();
    }
}
