using System.Diagnostics;
using System.Text;
using Plugboard.Metadata;

namespace Plugboard.Tests;

/// <summary>
/// Random and mutated input for the manifest parser and the metadata reader, for a bounded time: the only failure
/// ever allowed out is the typed <see cref="PluginException"/>. PLUGBOARD_FUZZ_SECONDS raises the budget for a longer run.
/// </summary>
[Collection(GlobalMeasurement.Name)]
public sealed class FuzzTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(
        double.TryParse(Environment.GetEnvironmentVariable("PLUGBOARD_FUZZ_SECONDS"), System.Globalization.CultureInfo.InvariantCulture, out double s) ? s : 3);

    private static readonly string[] Seeds =
    [
        """{ "id": "a", "version": "1.0.0", "entryTypes": ["A.B"], "dependencies": { "b": "[1.0,2.0)" } }""",
        """{ "id": "n", "kind": "native", "native": { "abiMajor": 1, "libraries": { "linux-x64": "libn.so" }, "unloadable": true } }""",
        """{ "assembly": "x.dll", "description": "d", "x-ext": { "deep": [1, 2, { "k": null }] } }""",
    ];

    private static readonly string[] Tokens = ["{", "}", "[", "]", ",", ":", "\"", "null", "true", "-1", "1e309", "\"..\"", "\"/etc\"", "\\u0000", "\"id\"", "\"native\"", "\"dependencies\"", new string('a', 2000), "\uD800"];

    [Fact]
    public void The_manifest_parser_only_ever_fails_with_typed_errors()
    {
        var random = new Random(20261125);
        var clock = Stopwatch.StartNew();
        int runs = 0, accepted = 0;
        while (clock.Elapsed < Budget)
        {
            byte[] input = Mutate(random, Encoding.UTF8.GetBytes(Seeds[random.Next(Seeds.Length)]));
            try
            {
                PluginManifest.Parse(input, "fuzz", "plugin.json");
                accepted++;
            }
            catch (PluginException ex)
            {
                Assert.True(ex.Code is PluginErrorCode.ManifestInvalid or PluginErrorCode.PathEscapesPluginDirectory, ex.Message);
            }
            catch (Exception ex)
            {
                Assert.Fail($"input {Convert.ToBase64String(input)} escaped as {ex.GetType().Name}: {ex.Message}");
            }
            runs++;
        }
        Assert.True(runs > 100, $"only {runs} runs");
        Assert.True(accepted > 0 && accepted < runs, $"{accepted} of {runs} accepted: the mutations are not exploring");
    }

    [Fact]
    public async Task Discovery_of_mutated_assemblies_only_ever_reports_typed_errors()
    {
        using var plugins = new PluginFolder("IdentityPlugin");
        string folder = Path.Combine(plugins.Root, "IdentityPlugin");
        string dll = Path.Combine(folder, "IdentityPlugin.dll");
        byte[] original = File.ReadAllBytes(dll);
        var host = new PluginHost<ILedgerPlugin>();
        var random = new Random(1125);
        var clock = Stopwatch.StartNew();
        int runs = 0;
        var codes = new HashSet<PluginErrorCode>();
        while (clock.Elapsed < Budget)
        {
            byte[] mutated = MutateBinary(random, original);
            File.WriteAllBytes(dll, mutated);
            // A watchdog per input: a hang on crafted metadata must fail the test, not stall the suite.
            Task<PluginCatalogEntry> inspect = Task.Run(() => host.Inspect(folder));
            try
            {
                PluginCatalogEntry entry = await inspect.WaitAsync(TimeSpan.FromSeconds(20));
                codes.UnionWith(entry.Problems.Select(p => p.Code));
            }
            catch (TimeoutException)
            {
                File.WriteAllBytes(Path.Combine(Path.GetTempPath(), $"plugboard-fuzz-hang-{runs}.dll"), mutated);
                Assert.Fail($"run {runs}: discovery did not return within 20 s (input saved to the temp folder)");
            }
            catch (Exception ex)
            {
                File.WriteAllBytes(Path.Combine(Path.GetTempPath(), $"plugboard-fuzz-crash-{runs}.dll"), mutated);
                Assert.Fail($"run {runs}: discovery threw {ex.GetType().Name}: {ex.Message} (input saved to the temp folder)");
            }
            runs++;
        }
        Assert.True(runs > 50, $"only {runs} runs");
        Assert.Contains(PluginErrorCode.NotAManagedAssembly, codes);
    }

    private static byte[] Mutate(Random random, byte[] seed)
    {
        var bytes = new List<byte>(seed);
        int edits = random.Next(1, 6);
        for (int i = 0; i < edits; i++)
        {
            int at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0 when bytes.Count > 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1 when bytes.Count > 0:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 8), bytes.Count - at));
                    break;
                case 2:
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(Tokens[random.Next(Tokens.Length)]));
                    break;
                case 3:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                default:
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(Seeds[random.Next(Seeds.Length)]));
                    break;
            }
        }
        return [.. bytes];
    }

    private static byte[] MutateBinary(Random random, byte[] original)
    {
        byte[] bytes = (byte[])original.Clone();
        switch (random.Next(4))
        {
            case 0:
                return bytes[..random.Next(bytes.Length)];
            case 1:
                for (int i = random.Next(1, 16); i > 0; i--)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }
                return bytes;
            case 2:
                // Zero a run: wipes table rows, heaps or headers.
                int start = random.Next(bytes.Length);
                Array.Clear(bytes, start, Math.Min(random.Next(1, 64), bytes.Length - start));
                return bytes;
            default:
                // Flip bits in the second half, where the metadata lives in a small assembly.
                for (int i = random.Next(1, 8); i > 0; i--)
                {
                    bytes[random.Next(bytes.Length / 2, bytes.Length)] ^= (byte)(1 << random.Next(8));
                }
                return bytes;
        }
    }
}
