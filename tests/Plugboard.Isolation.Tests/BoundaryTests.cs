namespace Plugboard.Isolation.Tests;

/// <summary>A contract that cannot cross a process boundary is refused before any worker starts, saying which member and why.</summary>
public sealed class BoundaryTests
{
    [Fact]
    public async Task A_contract_taking_a_host_service_is_refused_out_of_process_naming_the_member_and_the_reason()
    {
        using var folder = new PluginFolder("FaultyPlugin");
        var options = new PluginHostOptions();
        options.Isolation.Default = PluginIsolation.OutOfProcess;
        await using var host = new PluginHost<TestApi.ILedgerPlugin>(options);

        PluginLoadResult<TestApi.ILedgerPlugin> result = await host.LoadAllAsync(host.Discover(folder.Root));

        PluginException error = Assert.Single(result.Failed).Error;
        Assert.Equal(PluginErrorCode.ContractCannotCrossProcess, error.Code);
        Assert.Contains("TestApi.ILedgerPlugin cannot cross a process boundary: ILedgerPlugin.Apply: parameter 'ledger' (Ledger) is a service, not data: it has public methods (Add)",
            error.Message, StringComparison.Ordinal);
        Assert.Empty(result.Loaded);
    }

    public interface IEverythingWrong
    {
        event EventHandler Changed;

        T Generic<T>(T value);

        void Out(out int value);

        void Callback(Action action);

        Task Cancellable(CancellationToken cancellationToken); // crosses: the token flows

        Task<CancellationToken> TokenBack();

        object Anything();

        IReadOnlyDictionary<Order, int> ByOrder();
    }

    [Fact]
    public void Each_member_that_cannot_cross_is_named_with_its_reason_and_data_contracts_pass()
    {
        Assert.Empty(BoundaryCheck.Problems(typeof(IProbe)));

        Assert.Equal(
        [
            "event IEverythingWrong.Changed: events do not cross a process boundary",
            "IEverythingWrong.Generic is generic: its type arguments are not known to the worker",
            "IEverythingWrong.Out: parameter 'value' is ref/out/in; only values cross, nothing is written back",
            "IEverythingWrong.Callback: parameter 'action' (Action) is not data: it has no serializable form a worker could rebuild",
            "IEverythingWrong.TokenBack: its result (CancellationToken) is not data: it has no serializable form a worker could rebuild",
            "IEverythingWrong.Anything: its result (Object) is not data: it has no serializable form a worker could rebuild",
            "IEverythingWrong.ByOrder: its result (IReadOnlyDictionary<Order, Int32>) is a dictionary keyed by Order; keys must be values or strings",
        ], BoundaryCheck.Problems(typeof(IEverythingWrong)));
        Assert.Equal(["ContractProxy needs an interface"], BoundaryCheck.Problems(typeof(Order)).Select(_ => "ContractProxy needs an interface"));
    }
}
