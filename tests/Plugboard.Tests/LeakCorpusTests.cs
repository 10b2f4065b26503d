using Xunit.Abstractions;

namespace Plugboard.Tests;

[Collection(GlobalMeasurement.Name)]
public sealed class LeakCorpusTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("StjDefaultOptions")]
    [InlineData("StjOwnedOptions")]
    [InlineData("XmlSerializerUse")]
    [InlineData("HostStaticEvent")]
    [InlineData("ProcessExitHandler")]
    [InlineData("CancelKeyPressHandler")]
    [InlineData("AssemblyResolveHandler")]
    [InlineData("UnhandledExceptionHandler")]
    [InlineData("ForeverThread")]
    [InlineData("PluginTimer")]
    [InlineData("DelayLoop")]
    [InlineData("RegisteredWait")]
    [InlineData("StrongHandle")]
    [InlineData("HostTokenRegistration")]
    [InlineData("AsyncLocalFlow")]
    [InlineData("DiagnosticListenerSubscription")]
    [InlineData("ThreadLocalValue")]
    public async Task Explore(string entryType)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        UnloadReport report = await LeakCorpus.LoadUseAndUnloadAsync(entryType, LeakCorpus.Options());
        output.WriteLine($"{clock.ElapsedMilliseconds} ms");
        output.WriteLine(report.ToString());
        foreach (LeakRoot root in report.Roots)
        {
            output.WriteLine(root.ToString());
        }
        Assert.Fail("explore");
    }
}
