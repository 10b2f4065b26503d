using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Plugboard.AspNetCore.Tests.Browser;

/// <summary>
/// A headless Chromium driven over the Chrome DevTools protocol (a WebSocket to the browser, one flat session per
/// page), with nothing between the tests and the browser. Every command and wait is bounded; disposing closes the
/// browser (killed if it does not exit) and deletes its profile.
/// </summary>
internal sealed partial class HeadlessChromium : IAsyncDisposable
{
    private static readonly TimeSpan s_commandTimeout = TimeSpan.FromSeconds(15);
    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly ConcurrentQueue<string> _pageErrors = new();
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private Task _receiving = Task.CompletedTask;
    private int _nextId;

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>Errors the pages reported (uncaught exceptions, console errors), for failure messages.</summary>
    public IEnumerable<string> PageErrors => _pageErrors;

    public static async Task<HeadlessChromium> LaunchAsync(string executable)
    {
        string profile = Path.Combine(Path.GetTempPath(), "plugboard-chromium", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profile);
        var start = new ProcessStartInfo(executable) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string argument in (string[])["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", $"--user-data-dir={profile}", "--no-first-run",
            "--no-default-browser-check", "--disable-extensions", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-default-apps", "--mute-audio", "--hide-scrollbars", "--window-size=1280,720", "about:blank"])
        {
            start.ArgumentList.Add(argument);
        }
        Process process = Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start");
        var browser = new HeadlessChromium(process, profile);
        var endpoint = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new ConcurrentQueue<string>();
        // Both pipes are drained for the browser's whole life: a full pipe would block it.
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                endpoint.TrySetException(new InvalidOperationException($"Chromium exited before it listened:\n{string.Join('\n', output)}"));
                return;
            }
            output.Enqueue(e.Data);
            if (DevToolsAddress().Match(e.Data) is { Success: true } match)
            {
                endpoint.TrySetResult(match.Groups[1].Value);
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            string address = await endpoint.Task.WaitAsync(TimeSpan.FromSeconds(30));
            using var connecting = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await browser._socket.ConnectAsync(new Uri(address), connecting.Token);
            browser._receiving = Task.Run(browser.ReceiveAsync);
            return browser;
        }
        catch (Exception ex) when (ex is TimeoutException or WebSocketException or OperationCanceledException)
        {
            await browser.DisposeAsync();
            throw new InvalidOperationException($"Chromium did not open its DevTools endpoint:\n{string.Join('\n', output)}", ex);
        }
    }

    /// <summary>A new page in a browser context of its own (its own cookies).</summary>
    public async Task<BrowserPage> NewPageAsync()
    {
        JsonElement context = await SendAsync("Target.createBrowserContext", new { disposeOnDetach = true });
        string contextId = context.GetProperty("browserContextId").GetString()!;
        JsonElement target = await SendAsync("Target.createTarget", new { url = "about:blank", browserContextId = contextId });
        string targetId = target.GetProperty("targetId").GetString()!;
        JsonElement attached = await SendAsync("Target.attachToTarget", new { targetId, flatten = true });
        var page = new BrowserPage(this, attached.GetProperty("sessionId").GetString()!, targetId, contextId);
        await page.SendAsync("Page.enable");
        await page.SendAsync("Runtime.enable");
        await page.SendAsync("Network.enable");
        await page.SendAsync("Emulation.setDeviceMetricsOverride", new { width = 1280, height = 560, deviceScaleFactor = 1, mobile = false });
        return page;
    }

    public async Task<JsonElement> SendAsync(string method, object? parameters = null, string? session = null)
    {
        int id = Interlocked.Increment(ref _nextId);
        var message = new Dictionary<string, object?> { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new { } };
        if (session is not null)
        {
            message["sessionId"] = session;
        }
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        byte[] bytes = JsonSerializer.SerializeToUtf8Bytes(message);
        await _send.WaitAsync();
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, _closing.Token);
        }
        finally
        {
            _send.Release();
        }
        try
        {
            JsonElement response = await answer.Task.WaitAsync(s_commandTimeout);
            return response.TryGetProperty("error", out JsonElement error)
                ? throw new InvalidOperationException($"DevTools {method} failed: {error}")
                : response.TryGetProperty("result", out JsonElement result) ? result : default;
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"DevTools {method} got no answer within {s_commandTimeout.TotalSeconds} s");
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private async Task ReceiveAsync()
    {
        byte[] buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                WebSocketReceiveResult received = await _socket.ReceiveAsync(buffer, _closing.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                message.Write(buffer, 0, received.Count);
                if (!received.EndOfMessage)
                {
                    continue;
                }
                using (JsonDocument document = JsonDocument.Parse(message.ToArray()))
                {
                    Dispatch(document.RootElement);
                }
                message.SetLength(0);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // Closing, or the browser went away: pending commands fail below.
        }
        foreach (TaskCompletionSource<JsonElement> pending in _pending.Values)
        {
            pending.TrySetException(new InvalidOperationException("the DevTools connection closed"));
        }
    }

    private void Dispatch(JsonElement message)
    {
        if (message.TryGetProperty("id", out JsonElement id))
        {
            if (_pending.TryGetValue(id.GetInt32(), out TaskCompletionSource<JsonElement>? answer))
            {
                answer.TrySetResult(message.Clone());
            }
            return;
        }
        string? method = message.TryGetProperty("method", out JsonElement m) ? m.GetString() : null;
        if (method == "Runtime.exceptionThrown")
        {
            _pageErrors.Enqueue(message.GetProperty("params").GetProperty("exceptionDetails").ToString());
        }
        else if (method == "Runtime.consoleAPICalled" && message.GetProperty("params").GetProperty("type").GetString() is "error" or "warning")
        {
            _pageErrors.Enqueue(message.GetProperty("params").GetProperty("args").ToString());
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await SendAsync("Browser.close").WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or WebSocketException)
            {
                // Killed below.
            }
        }
        using (var exited = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try
            {
                await _process.WaitForExitAsync(exited.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        await _closing.CancelAsync();
        await _receiving;
        _socket.Dispose();
        _process.Dispose();
        _closing.Dispose();
        _send.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [GeneratedRegex(@"DevTools listening on (ws://\S+)")]
    private static partial Regex DevToolsAddress();
}
