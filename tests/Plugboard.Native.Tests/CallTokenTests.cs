using System.Buffers;
using System.Text;
using Notebook.Api;
using Notebook.Api.Native;

namespace Plugboard.Native.Tests;

/// <summary>
/// call_ctx, the sink and the host-object handles a contract call passes are per-call tokens: valid only during their
/// call, on its thread. A plugin that keeps them (tests/NativePlugins/stash-sink; stale-notes, which keeps the
/// notebook.note/1 handle of a notebook.processor/2 call) gets PB_ERR_NO_CALL and never writes into another call's
/// output or changes another call's note.
/// </summary>
public sealed class CallTokenTests
{
    [Fact]
    public void A_sink_kept_past_its_call_is_refused_and_the_old_span_is_never_written()
    {
        using NativePlugin plugin = TestLoaders.Create().Load(TestPaths.TestPlugin("stash-sink"));
        byte[] first = Enumerable.Repeat((byte)'.', 32).ToArray();
        int written = plugin.Invoke("stash"u8, default, first, 0);
        Assert.Equal("stashed", Encoding.ASCII.GetString(first, 0, written));

        Assert.Equal("status=-8", plugin.Invoke("write-stashed", string.Empty));
        Assert.Equal("status=-8", plugin.Invoke("write-stashed-thread", string.Empty));
        Assert.Equal("stashed" + new string('.', 25), Encoding.ASCII.GetString(first));
    }

    [Fact]
    public void A_buffer_writer_sink_kept_past_its_call_is_refused()
    {
        using NativePlugin plugin = TestLoaders.Create().Load(TestPaths.TestPlugin("stash-sink"));
        var first = new ArrayBufferWriter<byte>();
        plugin.Invoke("stash"u8, default, first, 0);

        var second = new ArrayBufferWriter<byte>();
        plugin.Invoke("write-stashed"u8, default, second, 0);

        Assert.Equal("stashed", Encoding.ASCII.GetString(first.WrittenSpan));
        Assert.Equal("status=-8", Encoding.ASCII.GetString(second.WrittenSpan));
    }

    [Fact]
    public void The_current_sink_used_from_another_thread_mid_call_is_refused()
    {
        using NativePlugin plugin = TestLoaders.Create().Load(TestPaths.TestPlugin("stash-sink"));
        Assert.Equal("status=-8", plugin.Invoke("write-current-thread", string.Empty));
    }

    [Fact]
    public async Task A_sink_kept_by_one_plugin_never_lands_in_another_plugins_output()
    {
        using NativePlugin stasher = TestLoaders.Create().Load(TestPaths.TestPlugin("stash-sink"));
        using NativePlugin echo = TestLoaders.Create().Load(TestPaths.TestPlugin("echo"));
        stasher.Invoke("stash", string.Empty);
        var outputs = new List<string>();
        Task echoes = Task.Run(() =>
        {
            for (int i = 0; i < 2000; i++)
            {
                outputs.Add(echo.Invoke("echo", "mine"));
            }
        });
        var statuses = new List<string>();
        while (!echoes.IsCompleted)
        {
            statuses.Add(stasher.Invoke("write-stashed-thread", string.Empty));
        }
        await echoes;
        Assert.All(outputs, output => Assert.Equal("mine", output));
        Assert.All(statuses, status => Assert.Equal("status=-8", status));
    }

    [Fact]
    public void Every_call_gets_a_fresh_token()
    {
        using NativePlugin plugin = TestLoaders.Create().Load(TestPaths.TestPlugin("stash-sink"));
        plugin.Invoke("stash", string.Empty);
        Assert.Equal("fresh", plugin.Invoke("same-token", string.Empty));
    }

    [Fact]
    public void A_stale_call_ctx_on_the_same_thread_gets_PB_ERR_NO_CALL_and_does_not_tag_the_current_note()
    {
        using NativePlugin plugin = new NativePluginLoader(TestLoaders.Notebook(TestLoaders.Options())).Load(TestPaths.TestPlugin("stale-notes"));
        NoteProcessorProxy processor = NoteProcessorProxy.Create(plugin);
        var store = new NotebookStore();
        Assert.Equal("stashed", processor.Process(store.Add(new Note("stash", "first")), store));
        Note current = store.Add(new Note("stale", "second"));

        Assert.Equal("stale=-8", processor.Process(current, store));
        Assert.False(current.Tags.Contains("stale"));
    }

    [Fact]
    public void A_call_ctx_used_from_another_thread_mid_call_gets_PB_ERR_NO_CALL()
    {
        using NativePlugin plugin = new NativePluginLoader(TestLoaders.Notebook(TestLoaders.Options())).Load(TestPaths.TestPlugin("stale-notes"));
        NoteProcessorProxy processor = NoteProcessorProxy.Create(plugin);
        var store = new NotebookStore();
        Note note = store.Add(new Note("thread", "body"));

        Assert.Equal("thread=-8", processor.Process(note, store));
        Assert.False(note.Tags.Contains("from-thread"));
    }

    [Fact]
    public void A_stale_call_ctx_used_during_another_plugins_call_never_tags_that_plugins_note()
    {
        var loader = new NativePluginLoader(TestLoaders.Notebook(TestLoaders.Options()));
        using NativePlugin stalePlugin = loader.Load(TestPaths.TestPlugin("stale-notes"));
        using NativePlugin otherPlugin = loader.Load(TestPaths.TestPlugin("stale-notes"));
        NoteProcessorProxy stale = NoteProcessorProxy.Create(stalePlugin);
        NoteProcessorProxy other = NoteProcessorProxy.Create(otherPlugin);
        var store = new NotebookStore();
        stale.Process(store.Add(new Note("stash", "kept")), store);
        Assert.Equal("spawned", stale.Process(store.Add(new Note("spawn-stale", "go")), store));

        // The other plugin's calls run on this thread, the thread the stale call_ctx came from, while the stale
        // thread keeps tagging through it.
        Note victim = store.Add(new Note("victim", "must stay untagged"));
        string report = string.Empty;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!report.StartsWith("done", StringComparison.Ordinal) && waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            Assert.Equal("noop", other.Process(victim, store));
            report = stale.Process(new Note("report", string.Empty), store);
        }

        Assert.StartsWith("done accepted=0 refused=3000", report, StringComparison.Ordinal);
        Assert.False(victim.Tags.Contains("stale"));
        Assert.DoesNotContain(store.Notes, note => note.Tags.Contains("stale"));
    }
}
