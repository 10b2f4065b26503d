using System.Text.Json;

namespace Plugboard.AspNetCore.Tests.Browser;

/// <summary>One page (tab) of <see cref="HeadlessChromium"/>: navigate, evaluate, wait for a condition, click like a user, take a screenshot.</summary>
internal sealed class BrowserPage(HeadlessChromium browser, string session, string targetId, string contextId)
{
    public Task<JsonElement> SendAsync(string method, object? parameters = null) => browser.SendAsync(method, parameters, session);

    public Task SetCookieAsync(string name, string value, Uri url) => SendAsync("Network.setCookie", new { name, value, url = url.ToString() });

    public async Task NavigateAsync(Uri url)
    {
        JsonElement navigated = await SendAsync("Page.navigate", new { url = url.ToString() });
        if (navigated.TryGetProperty("errorText", out JsonElement error))
        {
            throw new InvalidOperationException($"navigation to {url} failed: {error}");
        }
        await WaitUntilAsync("document.readyState === 'complete' && location.href !== 'about:blank'", $"the page {url} to load");
    }

    /// <summary>Evaluates a JavaScript expression in the page (promises awaited) and returns its value.</summary>
    public async Task<JsonElement> EvaluateAsync(string expression)
    {
        JsonElement result = await SendAsync("Runtime.evaluate", new { expression, returnByValue = true, awaitPromise = true });
        if (result.TryGetProperty("exceptionDetails", out JsonElement exception))
        {
            throw new InvalidOperationException($"the page threw evaluating {expression}: {exception}");
        }
        return result.GetProperty("result").TryGetProperty("value", out JsonElement value) ? value.Clone() : default;
    }

    public async Task<string> TextAsync(string selector) =>
        (await EvaluateAsync($"document.querySelector({JsonSerializer.Serialize(selector)})?.innerText ?? null")).ToString();

    /// <summary>
    /// Waits until the element's text starts with <paramref name="prefix"/> and returns it: a command's answer sets it
    /// when its response arrives, which may be after the live feed already showed the new state.
    /// </summary>
    public async Task<string> WaitForTextAsync(string selector, string prefix)
    {
        await WaitUntilAsync($"(document.querySelector({JsonSerializer.Serialize(selector)})?.innerText ?? '').startsWith({JsonSerializer.Serialize(prefix)})", $"{selector} to say '{prefix}'");
        return await TextAsync(selector);
    }

    /// <summary>Polls until the expression is true, at most <paramref name="seconds"/>; fails with the page's text and errors otherwise.</summary>
    public async Task WaitUntilAsync(string expression, string what, double seconds = 10)
    {
        for (long deadline = Environment.TickCount64 + (long)(seconds * 1000); ; await Task.Delay(50))
        {
            JsonElement value = await EvaluateAsync($"(() => {{ try {{ return !!({expression}); }} catch {{ return false; }} }})()");
            if (value.ValueKind == JsonValueKind.True)
            {
                return;
            }
            if (Environment.TickCount64 > deadline)
            {
                string text = (await EvaluateAsync("document.body?.innerText ?? ''")).ToString();
                throw new TimeoutException($"waited {seconds} s for {what} ({expression}); the page shows:\n{text}\npage errors: {string.Join("; ", browser.PageErrors)}");
            }
        }
    }

    /// <summary>Clicks the element's centre with the mouse, as a user would (the element must be visible).</summary>
    public async Task ClickAsync(string selector)
    {
        JsonElement point = await EvaluateAsync($$"""
            (() => {
              const e = document.querySelector({{JsonSerializer.Serialize(selector)}});
              if (!e) return null;
              e.scrollIntoView({ block: "center" });
              const r = e.getBoundingClientRect();
              return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
            })()
            """);
        if (point.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidOperationException($"nothing on the page matches {selector}");
        }
        double x = point.GetProperty("x").GetDouble(), y = point.GetProperty("y").GetDouble();
        await SendAsync("Input.dispatchMouseEvent", new { type = "mouseMoved", x, y });
        await SendAsync("Input.dispatchMouseEvent", new { type = "mousePressed", x, y, button = "left", clickCount = 1 });
        await SendAsync("Input.dispatchMouseEvent", new { type = "mouseReleased", x, y, button = "left", clickCount = 1 });
    }

    public async Task ScreenshotAsync(string path)
    {
        JsonElement shot = await SendAsync("Page.captureScreenshot", new { format = "png" });
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(shot.GetProperty("data").GetString()!));
    }

    public async Task CloseAsync()
    {
        await browser.SendAsync("Target.closeTarget", new { targetId });
        await browser.SendAsync("Target.disposeBrowserContext", new { browserContextId = contextId });
    }
}
