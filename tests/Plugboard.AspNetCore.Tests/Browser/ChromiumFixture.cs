namespace Plugboard.AspNetCore.Tests.Browser;

/// <summary>One headless Chromium for a test class (installed first if the machine has none: <see cref="ChromiumInstallation"/>).</summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    private HeadlessChromium? _browser;

    internal HeadlessChromium Browser => _browser ?? throw new InvalidOperationException("the browser did not start");

    public async Task InitializeAsync() => _browser = await HeadlessChromium.LaunchAsync(ChromiumInstallation.Executable);

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
    }
}
