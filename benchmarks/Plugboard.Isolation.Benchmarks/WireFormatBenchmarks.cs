using System.Text.Json;
using BenchmarkDotNet.Attributes;
using IsolationApi;
using MessagePack;
using MessagePack.Resolvers;

namespace Plugboard.Isolation.Benchmarks;

/// <summary>
/// The wire format: a round trip (serialize, deserialize) of the same host API record with the System.Text.Json
/// settings the protocol uses, and with MessagePack's contractless resolver (the host API's types carry no attributes).
/// </summary>
[MemoryDiagnoser]
public class WireFormatBenchmarks
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);
    private readonly Order _order = new("Ada", [.. Enumerable.Range(0, 64).Select(i => new OrderLine($"item {i}", i, i * 1.5m))]);

    [Benchmark(Baseline = true), BenchmarkCategory("record of 64 lines")]
    public Order SystemTextJson() => JsonSerializer.Deserialize<Order>(JsonSerializer.SerializeToUtf8Bytes(_order, Json), Json)!;

    [Benchmark, BenchmarkCategory("record of 64 lines")]
    public Order MessagePackContractless() =>
        MessagePackSerializer.Deserialize<Order>(MessagePackSerializer.Serialize(_order, ContractlessStandardResolver.Options), ContractlessStandardResolver.Options);
}
