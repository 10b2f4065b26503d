using System.Diagnostics;
using Notebook.Api;
using Notebook.NativeBridge;
using Plugboard.Contracts;
using Plugboard.Contracts.Bindings;

namespace Plugboard.Native.Tests;

/// <summary>
/// The C sample plugin compiled against the header bindgen emits from Notebook.Api (instead of the hand-written
/// notebook_notes.h) loads through the Notebook bridge and changes a real note through notebook.notes/1.
/// </summary>
public sealed class GeneratedHeaderPluginTests
{
    private const string Body = "Plugins plugins everywhere. The host loads plugins, and plugins call the host back.";

    [Fact]
    public void The_C_sample_built_on_the_emitted_header_counts_words_and_tags_the_note_through_the_host()
    {
        string directory = TestPaths.NewTempDirectory("generated-header");
        ContractModel model = ContractReader.Read(typeof(INotebookNotes).Assembly.Location);
        Assert.False(model.HasErrors, string.Join('\n', model.Diagnostics));
        string include = Path.Combine(directory, "include");
        Directory.CreateDirectory(include);
        foreach (EmittedFile file in ContractBindings.Emit(model, BindingLanguage.C))
        {
            File.WriteAllText(Path.Combine(include, file.FileName), file.Content);
        }
        // plugin.c includes "notebook_notes.h": that name now points at the emitted header; the hand-written one is not on the path.
        File.WriteAllText(Path.Combine(include, "notebook_notes.h"), "#include \"notebook_api.h\"\n");
        string plugin = Path.Combine(directory, "c-wordcount");
        Directory.CreateDirectory(plugin);
        string sample = Path.Combine(TestPaths.RepoRoot, "samples", "native", "c-wordcount");
        File.Copy(Path.Combine(sample, "plugin.json"), Path.Combine(plugin, "plugin.json"));
        Compile(Path.Combine(sample, "plugin.c"), include, Path.Combine(plugin, "libc-wordcount.so"));

        using NativeNoteProcessor processor = NativeNoteProcessor.Load(plugin, TestLoaders.Options());
        var store = new NotebookStore();
        Note note = store.Add(new Note("Plugins", Body));
        string report = processor.Process(note, store);

        Assert.Equal(TextTools.CountWords(Body), note.Metrics["words"]);
        Assert.True(note.Tags.Contains("short"));
        Assert.Equal($"c-wordcount: {TextTools.CountWords(Body)} words, tagged 'short'", report);
    }

    private static void Compile(string source, string include, string output)
    {
        var start = new ProcessStartInfo("cc") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { "-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic", "-shared", "-fPIC", "-I", Path.Combine(TestPaths.RepoRoot, "native", "include"), "-I", include, source, "-o", output })
        {
            start.ArgumentList.Add(argument);
        }
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("cc did not start");
        string stderr = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "cc did not finish");
        Assert.True(process.ExitCode == 0, $"cc rejected the sample plugin against the emitted header:\n{stderr}");
    }
}
