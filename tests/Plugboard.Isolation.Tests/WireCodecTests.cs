using System.Text.Json;
using System.Text.Json.Nodes;

namespace Plugboard.Isolation.Tests;

/// <summary>
/// The protocol's messages as <see cref="WireCodec"/> writes and reads them: every message in the very JSON that
/// System.Text.Json's serializer gives it (so the codec is the serializer's format, written by hand only for a cold
/// process's speed), read back to the same message, either side's output readable by the other; a frame that is not
/// a message is an <see cref="InvalidDataException"/>; a hello of another protocol version still reads its version.
/// </summary>
public sealed class WireCodecTests
{
    private static readonly JsonElement Data = JsonSerializer.SerializeToElement(new { Name = "x", Count = 3, Items = new[] { 1.5, 2 } });

    private static readonly ApiIdentity Api = new("IsolationApi", "1.2.3.4", Guid.Parse("10215356-1e22-42e5-a5d7-996ad51e4fe9"));

    public static TheoryData<string> Kinds => [.. Messages().Keys];

    private static Dictionary<string, WireMessage> Messages() => new(StringComparer.Ordinal)
    {
        ["hello"] = new Hello(5, "SECRET", "CrashingPlugin", "/plugins/CrashingPlugin", "IsolationApi.IProbe, IsolationApi", Api,
            ["/host/IsolationApi.dll"], [], ["System.Text.Json"], ApiVersionRule.SurfaceProven,
            [new SnapshotFileHeader("CrashingPlugin.dll", 4096, "ab12"), new SnapshotFileHeader("sub/x.json", 0, "cd34")],
            new Dictionary<string, string>(StringComparer.Ordinal) { ["ApiKey"] = "k", ["Empty"] = "" },
            TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(1500.25),
            new NativeWorkerSettings(new NativeAdapterReference("/host/Host.dll", "Host.Adapters", 0x06000012, true),
                TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(2), TimeSpan.FromDays(1.5), 1L << 33, false, "linux-x64",
                [new InterfaceLayoutOnWire("test.tool/1", ["Run(string, string)", "Name { get; }"], [0x1111UL, ulong.MaxValue])]),
            [new InstanceState(0, "CrashingPlugin.Probe", "IsolationApi.ProbeMemory, IsolationApi", Data)], TimeSpan.FromSeconds(1), AwaitsGo: true),
        ["hello-minimal"] = new Hello(5, "S", "p", "/p", "C", Api, [], [], [], ApiVersionRule.Strict, [], new Dictionary<string, string>(StringComparer.Ordinal),
            TimeSpan.Zero, TimeSpan.Zero),
        ["file"] = new SnapshotChunk("CrashingPlugin.dll", [0, 1, 2, 250, 255]),
        ["refusal"] = new Refusal(5, "the hello's secret is not the one this worker was started with"),
        ["welcome"] = new Welcome(5, "CrashingPlugin", Api, 2, 4242, null, "the state's type is gone", TransfersState: true),
        ["welcome-error"] = new Welcome(5, "CrashingPlugin", Api, 0, 4242, new RemoteLoadError(PluginErrorCode.ConstructorThrew, null, "it threw", "fix it")),
        ["call"] = new CallRequest(long.MaxValue, 1, 3, "Process", [Data, JsonSerializer.SerializeToElement("text \"quoted\" é"), JsonSerializer.SerializeToElement<object?>(null)]),
        ["reply"] = new CallReply(7, Data, null),
        ["reply-null"] = new CallReply(8, null, null),
        ["reply-error"] = new CallReply(9, null, new RemoteError("System.InvalidOperationException", "outer", "at X", new RemoteError("System.IO.IOException", "inner", null, null))),
        ["cancel"] = new CancelRequest(11),
        ["host-call"] = new HostCallRequest(12, -5, 0, "Add", [Data]),
        ["host-reply"] = new HostCallReply(12, JsonSerializer.SerializeToElement(42), null),
        ["state"] = new StateCheckpoint([new InstanceState(0, "E", "S", Data), new InstanceState(1, "E", "S", JsonSerializer.SerializeToElement(0))], null),
        ["state-problem"] = new StateCheckpoint([], "ExportState threw"),
        ["go"] = new Go([new InstanceState(0, "E", "S", Data)]),
        ["go-stateless"] = new Go(null),
        ["export"] = new ExportRequest(12),
        ["exported"] = new ExportReply(13, [new InstanceState(0, "E", "S", Data)], null),
        ["exported-problem"] = new ExportReply(14, [], "ExportState threw"),
        ["import"] = new ImportRequest(15, [new InstanceState(1, "E", "S", Data)]),
        ["imported"] = new ImportReply(16, null),
        ["imported-problem"] = new ImportReply(17, "ImportState threw"),
        ["shutdown"] = new Shutdown(),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Each_message_is_written_as_the_serializer_writes_it_and_read_back_to_the_same_message(string kind)
    {
        WireMessage message = Messages()[kind];

        byte[] written = WireCodec.Write(message);
        JsonNode? serialized = JsonSerializer.SerializeToNode(message, WorkerProtocol.Json);

        Assert.True(JsonNode.DeepEquals(serialized, JsonNode.Parse(written)), $"codec:      {System.Text.Encoding.UTF8.GetString(written)}\nserializer: {serialized!.ToJsonString()}");
        WireMessage read = WireCodec.Read(written);
        Assert.Equal(message.GetType(), read.GetType());
        // Records with lists compare by reference: compared by what they serialize to instead.
        Assert.True(JsonNode.DeepEquals(serialized, JsonSerializer.SerializeToNode(read, WorkerProtocol.Json)), kind);
        // What the serializer writes, the codec reads.
        Assert.True(JsonNode.DeepEquals(serialized, JsonSerializer.SerializeToNode(WireCodec.Read(JsonSerializer.SerializeToUtf8Bytes(message, WorkerProtocol.Json)), WorkerProtocol.Json)), kind);
    }

    [Fact]
    public void Elements_read_from_a_frame_outlive_its_document()
    {
        var call = (CallRequest)WireCodec.Read(WireCodec.Write(new CallRequest(1, 0, 0, "M", [Data])));
        GC.Collect();
        Assert.Equal(3, call.Arguments[0].GetProperty("Count").GetInt32());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    [InlineData("{\"ProtocolVersion\": 4}")]
    [InlineData("{\"$kind\": \"teleport\"}")]
    [InlineData("{\"$kind\": \"welcome\", \"ProtocolVersion\": \"four\"}")]
    [InlineData("{\"$kind\": \"hello\", \"ApiVersionRule\": \"Whatever\"}")]
    [InlineData("{\"$kind\": \"file\", \"RelativePath\": \"a\", \"Data\": \"not base64!\"}")]
    [InlineData("{\"$kind\": \"hello\", \"InitializationTimeout\": \"soon\"}")]
    [InlineData("{\"$kind\": \"call\", \"Arguments\": 5}")]
    [InlineData("{\"$kind\": \"welcome\", \"HostApi\": \"IsolationApi\"}")]
    public void A_frame_that_is_not_a_message_of_this_protocol_is_invalid_data(string json)
    {
        InvalidDataException error = Assert.Throws<InvalidDataException>(() => WireCodec.Read(System.Text.Encoding.UTF8.GetBytes(json)));

        Assert.StartsWith("a ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hello_of_another_protocol_version_reads_far_enough_to_be_refused_by_its_version()
    {
        var hello = Assert.IsType<Hello>(WireCodec.Read("{\"$kind\": \"hello\", \"ProtocolVersion\": 99, \"Secret\": \"S\", \"SomethingNew\": {\"a\": 1}}"u8.ToArray()));

        Assert.Equal(99, hello.ProtocolVersion);
        Assert.Equal("S", hello.Secret);
    }
}
