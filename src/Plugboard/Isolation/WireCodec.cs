using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Plugboard.Isolation;

/// <summary>
/// Writes and reads the protocol's messages (<see cref="WireMessage"/>) as JSON with System.Text.Json's reader and
/// writer rather than its serializer, in the very shape the serializer gives them (property names as declared, the
/// <c>$kind</c> discriminator first, enums by name, <see cref="TimeSpan"/> as <c>d.hh:mm:ss.fffffff</c>). Why by hand:
/// a worker reads its first message in a process that has run no serializer yet, and the serializer, reflection-based
/// or source-generated alike, spent about 110 ms of a 430 ms restart compiling its generic code for that first hello;
/// the reader and writer are precompiled in the framework and read it in a few milliseconds (measured in
/// docs/isolation.md). Contract data inside the messages (arguments, results, state) stay JSON elements, serialized
/// with <see cref="WorkerProtocol.Json"/> where the host API's types are known. A missing property reads as its
/// default, as the serializer does, so that a hello of another protocol version still reads far enough to be refused
/// by its version.
/// </summary>
internal static class WireCodec
{
    private const string Kind = "$kind";

    /// <summary>The message as one frame's body: UTF-8 JSON.</summary>
    public static byte[] Write(WireMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(message, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the message, as one frame's body, to <paramref name="buffer"/>.</summary>
    public static void Write(WireMessage message, IBufferWriter<byte> buffer)
    {
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            switch (message)
            {
                case Hello m:
                    writer.WriteString(Kind, "hello");
                    writer.WriteNumber(nameof(m.ProtocolVersion), m.ProtocolVersion);
                    writer.WriteString(nameof(m.Secret), m.Secret);
                    writer.WriteString(nameof(m.PluginId), m.PluginId);
                    writer.WriteString(nameof(m.PluginDirectory), m.PluginDirectory);
                    writer.WriteString(nameof(m.ContractType), m.ContractType);
                    writer.WritePropertyName(nameof(m.HostApi));
                    WriteApi(writer, m.HostApi);
                    WriteStrings(writer, nameof(m.HostApiAssemblies), m.HostApiAssemblies);
                    WriteStrings(writer, nameof(m.SharedAssemblies), m.SharedAssemblies);
                    WriteStrings(writer, nameof(m.PrivateFrameworkAssemblies), m.PrivateFrameworkAssemblies);
                    writer.WriteString(nameof(m.ApiVersionRule), m.ApiVersionRule.ToString());
                    writer.WriteStartArray(nameof(m.Files));
                    foreach (SnapshotFileHeader file in m.Files)
                    {
                        writer.WriteStartObject();
                        writer.WriteString(nameof(file.RelativePath), file.RelativePath);
                        writer.WriteNumber(nameof(file.Length), file.Length);
                        writer.WriteString(nameof(file.Sha256), file.Sha256);
                        writer.WriteEndObject();
                    }
                    writer.WriteEndArray();
                    writer.WriteStartObject(nameof(m.Settings));
                    foreach (KeyValuePair<string, string> setting in m.Settings)
                    {
                        writer.WriteString(setting.Key, setting.Value);
                    }
                    writer.WriteEndObject();
                    WriteTimeSpan(writer, nameof(m.InitializationTimeout), m.InitializationTimeout);
                    WriteTimeSpan(writer, nameof(m.StopTimeout), m.StopTimeout);
                    writer.WritePropertyName(nameof(m.Native));
                    WriteNative(writer, m.Native);
                    writer.WritePropertyName(nameof(m.State));
                    WriteStates(writer, m.State);
                    WriteTimeSpan(writer, nameof(m.StateCheckpointInterval), m.StateCheckpointInterval);
                    writer.WriteBoolean(nameof(m.AwaitsGo), m.AwaitsGo);
                    break;
                case Go m:
                    writer.WriteString(Kind, "go");
                    writer.WritePropertyName(nameof(m.State));
                    WriteStates(writer, m.State);
                    break;
                case SnapshotChunk m:
                    writer.WriteString(Kind, "file");
                    writer.WriteString(nameof(m.RelativePath), m.RelativePath);
                    writer.WriteBase64String(nameof(m.Data), m.Data);
                    break;
                case Refusal m:
                    writer.WriteString(Kind, "refusal");
                    writer.WriteNumber(nameof(m.ProtocolVersion), m.ProtocolVersion);
                    writer.WriteString(nameof(m.Reason), m.Reason);
                    break;
                case Welcome m:
                    writer.WriteString(Kind, "welcome");
                    writer.WriteNumber(nameof(m.ProtocolVersion), m.ProtocolVersion);
                    writer.WriteString(nameof(m.PluginId), m.PluginId);
                    writer.WritePropertyName(nameof(m.HostApi));
                    WriteApi(writer, m.HostApi);
                    writer.WriteNumber(nameof(m.Instances), m.Instances);
                    writer.WriteNumber(nameof(m.ProcessId), m.ProcessId);
                    writer.WritePropertyName(nameof(m.Error));
                    WriteLoadError(writer, m.Error);
                    writer.WriteString(nameof(m.StateProblem), m.StateProblem);
                    writer.WriteBoolean(nameof(m.TransfersState), m.TransfersState);
                    break;
                case CallRequest m:
                    WriteCall(writer, "call", m.Id, (nameof(m.Instance), m.Instance), m.Method, m.MethodName, m.Arguments);
                    break;
                case CallReply m:
                    WriteReply(writer, "reply", m.Id, m.Result, m.Error);
                    break;
                case CancelRequest m:
                    writer.WriteString(Kind, "cancel");
                    writer.WriteNumber(nameof(m.Id), m.Id);
                    break;
                case HostCallRequest m:
                    WriteCall(writer, "host-call", m.Id, (nameof(m.Handle), m.Handle), m.Method, m.MethodName, m.Arguments);
                    break;
                case HostCallReply m:
                    WriteReply(writer, "host-reply", m.Id, m.Result, m.Error);
                    break;
                case StateCheckpoint m:
                    writer.WriteString(Kind, "state");
                    writer.WritePropertyName(nameof(m.Instances));
                    WriteStates(writer, m.Instances);
                    writer.WriteString(nameof(m.Problem), m.Problem);
                    break;
                case ExportRequest m:
                    writer.WriteString(Kind, "export");
                    writer.WriteNumber(nameof(m.Id), m.Id);
                    break;
                case ExportReply m:
                    writer.WriteString(Kind, "exported");
                    writer.WriteNumber(nameof(m.Id), m.Id);
                    writer.WritePropertyName(nameof(m.Instances));
                    WriteStates(writer, m.Instances);
                    writer.WriteString(nameof(m.Problem), m.Problem);
                    break;
                case ImportRequest m:
                    writer.WriteString(Kind, "import");
                    writer.WriteNumber(nameof(m.Id), m.Id);
                    writer.WritePropertyName(nameof(m.State));
                    WriteStates(writer, m.State);
                    break;
                case ImportReply m:
                    writer.WriteString(Kind, "imported");
                    writer.WriteNumber(nameof(m.Id), m.Id);
                    writer.WriteString(nameof(m.Problem), m.Problem);
                    break;
                case Shutdown:
                    writer.WriteString(Kind, "shutdown");
                    break;
                default:
                    throw new ArgumentException($"{message.GetType().Name} is not a message of worker protocol {WorkerProtocol.Version}.", nameof(message));
            }
            writer.WriteEndObject();
        }
    }

    /// <summary>The message a frame's body holds.</summary>
    /// <exception cref="InvalidDataException">The body is not JSON, or not a message of this protocol.</exception>
    public static WireMessage Read(ReadOnlyMemory<byte> body)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            JsonElement m = document.RootElement;
            if (m.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"a frame whose JSON is {m.ValueKind}, not a message");
            }
            string? kind = m.TryGetProperty(Kind, out JsonElement k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
            return kind switch
            {
                "hello" => new Hello(Int(m, "ProtocolVersion"), Str(m, "Secret")!, Str(m, "PluginId")!, Str(m, "PluginDirectory")!, Str(m, "ContractType")!,
                    Api(Get(m, "HostApi"))!, Strings(m, "HostApiAssemblies")!, Strings(m, "SharedAssemblies")!, Strings(m, "PrivateFrameworkAssemblies")!,
                    Enum<ApiVersionRule>(m, "ApiVersionRule"), Files(Get(m, "Files"))!, Settings(Get(m, "Settings"))!,
                    Time(m, "InitializationTimeout") ?? default, Time(m, "StopTimeout") ?? default, Native(Get(m, "Native")), States(Get(m, "State")),
                    Time(m, "StateCheckpointInterval"), Bool(m, "AwaitsGo")),
                "go" => new Go(States(Get(m, "State"))),
                "file" => new SnapshotChunk(Str(m, "RelativePath")!, Get(m, "Data") is var data && Has(data) ? data.GetBytesFromBase64() : null!),
                "refusal" => new Refusal(Int(m, "ProtocolVersion"), Str(m, "Reason")!),
                "welcome" => new Welcome(Int(m, "ProtocolVersion"), Str(m, "PluginId")!, Api(Get(m, "HostApi"))!, Int(m, "Instances"), Int(m, "ProcessId"),
                    LoadError(Get(m, "Error")), Str(m, "StateProblem"), Bool(m, "TransfersState")),
                "call" => new CallRequest(Long(m, "Id"), Int(m, "Instance"), Int(m, "Method"), Str(m, "MethodName")!, Elements(Get(m, "Arguments"))!),
                "reply" => new CallReply(Long(m, "Id"), Element(Get(m, "Result")), Error(Get(m, "Error"))),
                "cancel" => new CancelRequest(Long(m, "Id")),
                "host-call" => new HostCallRequest(Long(m, "Id"), Long(m, "Handle"), Int(m, "Method"), Str(m, "MethodName")!, Elements(Get(m, "Arguments"))!),
                "host-reply" => new HostCallReply(Long(m, "Id"), Element(Get(m, "Result")), Error(Get(m, "Error"))),
                "state" => new StateCheckpoint(States(Get(m, "Instances"))!, Str(m, "Problem")),
                "export" => new ExportRequest(Long(m, "Id")),
                "exported" => new ExportReply(Long(m, "Id"), States(Get(m, "Instances"))!, Str(m, "Problem")),
                "import" => new ImportRequest(Long(m, "Id"), States(Get(m, "State"))!),
                "imported" => new ImportReply(Long(m, "Id"), Str(m, "Problem")),
                "shutdown" => new Shutdown(),
                null => throw new InvalidDataException($"a frame without a {Kind} naming its message"),
                _ => throw new InvalidDataException($"a message of kind '{kind}', which worker protocol {WorkerProtocol.Version} does not have"),
            };
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or OverflowException)
        {
            throw new InvalidDataException($"a frame that is not a message: {ex.Message}", ex);
        }
    }

    // A call either way: the plugin's (on an instance) and the plugin's back into the host (on a handle).
    private static void WriteCall(Utf8JsonWriter writer, string kind, long id, (string Name, long Value) target, int method, string methodName, IReadOnlyList<JsonElement> arguments)
    {
        writer.WriteString(Kind, kind);
        writer.WriteNumber("Id", id);
        writer.WriteNumber(target.Name, target.Value);
        writer.WriteNumber("Method", method);
        writer.WriteString("MethodName", methodName);
        WriteElements(writer, "Arguments", arguments);
    }

    private static void WriteReply(Utf8JsonWriter writer, string kind, long id, JsonElement? result, RemoteError? error)
    {
        writer.WriteString(Kind, kind);
        writer.WriteNumber("Id", id);
        WriteElement(writer, "Result", result);
        writer.WritePropertyName("Error");
        WriteError(writer, error);
    }

    private static void WriteApi(Utf8JsonWriter writer, ApiIdentity api)
    {
        writer.WriteStartObject();
        writer.WriteString(nameof(api.Name), api.Name);
        writer.WriteString(nameof(api.Version), api.Version);
        writer.WriteString(nameof(api.Mvid), api.Mvid);
        writer.WriteEndObject();
    }

    private static void WriteNative(Utf8JsonWriter writer, NativeWorkerSettings? native)
    {
        if (native is null)
        {
            writer.WriteNullValue();
            return;
        }
        writer.WriteStartObject();
        writer.WriteStartObject(nameof(native.Adapter));
        writer.WriteString(nameof(native.Adapter.AssemblyPath), native.Adapter.AssemblyPath);
        writer.WriteString(nameof(native.Adapter.DeclaringType), native.Adapter.DeclaringType);
        writer.WriteNumber(nameof(native.Adapter.MetadataToken), native.Adapter.MetadataToken);
        writer.WriteBoolean(nameof(native.Adapter.OnEmptyClosure), native.Adapter.OnEmptyClosure);
        writer.WriteEndObject();
        WriteTimeSpan(writer, nameof(native.InitTimeout), native.InitTimeout);
        WriteTimeSpan(writer, nameof(native.ShutdownTimeout), native.ShutdownTimeout);
        WriteTimeSpan(writer, nameof(native.InvokeTimeout), native.InvokeTimeout);
        writer.WriteNumber(nameof(native.MaxOutputBytes), native.MaxOutputBytes);
        writer.WriteBoolean(nameof(native.UnloadWhenAllowed), native.UnloadWhenAllowed);
        writer.WriteString(nameof(native.RuntimeIdentifier), native.RuntimeIdentifier);
        writer.WritePropertyName(nameof(native.Layouts));
        if (native.Layouts is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStartArray();
            foreach (InterfaceLayoutOnWire layout in native.Layouts)
            {
                writer.WriteStartObject();
                writer.WriteString(nameof(layout.Id), layout.Id);
                WriteStrings(writer, nameof(layout.MemberNames), layout.MemberNames);
                writer.WriteStartArray(nameof(layout.MemberHashes));
                foreach (ulong hash in layout.MemberHashes)
                {
                    writer.WriteNumberValue(hash);
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    private static void WriteStates(Utf8JsonWriter writer, IReadOnlyList<InstanceState>? states)
    {
        if (states is null)
        {
            writer.WriteNullValue();
            return;
        }
        writer.WriteStartArray();
        foreach (InstanceState state in states)
        {
            writer.WriteStartObject();
            writer.WriteNumber(nameof(state.Instance), state.Instance);
            writer.WriteString(nameof(state.EntryType), state.EntryType);
            writer.WriteString(nameof(state.StateType), state.StateType);
            writer.WritePropertyName(nameof(state.State));
            state.State.WriteTo(writer);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    private static void WriteLoadError(Utf8JsonWriter writer, RemoteLoadError? error)
    {
        if (error is null)
        {
            writer.WriteNullValue();
            return;
        }
        writer.WriteStartObject();
        writer.WriteString(nameof(error.Code), error.Code.ToString());
        writer.WriteString(nameof(error.Path), error.Path);
        writer.WriteString(nameof(error.Cause), error.Cause);
        writer.WriteString(nameof(error.Fix), error.Fix);
        writer.WriteEndObject();
    }

    private static void WriteError(Utf8JsonWriter writer, RemoteError? error)
    {
        if (error is null)
        {
            writer.WriteNullValue();
            return;
        }
        writer.WriteStartObject();
        writer.WriteString(nameof(error.Type), error.Type);
        writer.WriteString(nameof(error.Message), error.Message);
        writer.WriteString(nameof(error.StackTrace), error.StackTrace);
        writer.WritePropertyName(nameof(error.Inner));
        WriteError(writer, error.Inner);
        writer.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        foreach (string value in values)
        {
            writer.WriteStringValue(value);
        }
        writer.WriteEndArray();
    }

    private static void WriteElements(Utf8JsonWriter writer, string name, IReadOnlyList<JsonElement> values)
    {
        writer.WriteStartArray(name);
        foreach (JsonElement value in values)
        {
            value.WriteTo(writer);
        }
        writer.WriteEndArray();
    }

    private static void WriteElement(Utf8JsonWriter writer, string name, JsonElement? value)
    {
        writer.WritePropertyName(name);
        if (value is JsonElement element)
        {
            element.WriteTo(writer);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    // The serializer's TimeSpan format: the invariant constant ("c") format.
    private static void WriteTimeSpan(Utf8JsonWriter writer, string name, TimeSpan? value)
    {
        if (value is TimeSpan time)
        {
            writer.WriteString(name, time.ToString("c", CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>The property, or an undefined element when it is missing (read as the default).</summary>
    private static JsonElement Get(JsonElement message, string name) => message.TryGetProperty(name, out JsonElement value) ? value : default;

    // Missing or null reads as the default; present with another JSON type is not a message (the getters throw).
    private static bool Has(JsonElement value) => value.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null);

    /// <summary>Whether the value is there (missing and null are not); there with another JSON type, it is not a message.</summary>
    private static bool Present(JsonElement value, JsonValueKind kind) =>
        Has(value) && (value.ValueKind == kind ? true : throw new FormatException($"a {value.ValueKind} where the protocol has an {kind}"));

    private static string? Str(JsonElement message, string name) => Get(message, name) is var value && Has(value) ? value.GetString() : null;

    private static int Int(JsonElement message, string name) => Get(message, name) is var value && Has(value) ? value.GetInt32() : 0;

    private static long Long(JsonElement message, string name) => Get(message, name) is var value && Has(value) ? value.GetInt64() : 0;

    private static bool Bool(JsonElement message, string name) => Get(message, name) is var value && Has(value) && value.GetBoolean();

    private static TimeSpan? Time(JsonElement message, string name) =>
        Get(message, name) is var value && Has(value) ? TimeSpan.ParseExact(value.GetString()!, "c", CultureInfo.InvariantCulture) : null;

    private static T Enum<T>(JsonElement message, string name) where T : struct, Enum =>
        Get(message, name) is var value && Has(value)
            ? System.Enum.TryParse(value.GetString(), ignoreCase: false, out T parsed) ? parsed : throw new FormatException($"{name} '{value.GetString()}' is not a {typeof(T).Name}")
            : default;

    private static List<string>? Strings(JsonElement message, string name)
    {
        JsonElement array = Get(message, name);
        if (!Present(array, JsonValueKind.Array))
        {
            return null;
        }
        var values = new List<string>(array.GetArrayLength());
        foreach (JsonElement value in array.EnumerateArray())
        {
            values.Add(value.GetString()!);
        }
        return values;
    }

    // Elements outlive the document they were read from: each is cloned.
    private static List<JsonElement>? Elements(JsonElement array)
    {
        if (!Present(array, JsonValueKind.Array))
        {
            return null;
        }
        var values = new List<JsonElement>(array.GetArrayLength());
        foreach (JsonElement value in array.EnumerateArray())
        {
            values.Add(value.Clone());
        }
        return values;
    }

    private static JsonElement? Element(JsonElement value) => value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? null : value.Clone();

    private static ApiIdentity? Api(JsonElement api) =>
        Present(api, JsonValueKind.Object)
            ? new ApiIdentity(Str(api, "Name")!, Str(api, "Version")!, Get(api, "Mvid") is var mvid && Has(mvid) ? mvid.GetGuid() : Guid.Empty)
            : null;

    private static List<SnapshotFileHeader>? Files(JsonElement files)
    {
        if (!Present(files, JsonValueKind.Array))
        {
            return null;
        }
        var headers = new List<SnapshotFileHeader>(files.GetArrayLength());
        foreach (JsonElement file in files.EnumerateArray())
        {
            headers.Add(new SnapshotFileHeader(Str(file, "RelativePath")!, Long(file, "Length"), Str(file, "Sha256")!));
        }
        return headers;
    }

    private static Dictionary<string, string>? Settings(JsonElement settings)
    {
        if (!Present(settings, JsonValueKind.Object))
        {
            return null;
        }
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonProperty setting in settings.EnumerateObject())
        {
            values[setting.Name] = setting.Value.GetString()!;
        }
        return values;
    }

    private static NativeWorkerSettings? Native(JsonElement native)
    {
        if (!Present(native, JsonValueKind.Object))
        {
            return null;
        }
        JsonElement adapter = Get(native, "Adapter");
        return new NativeWorkerSettings(
            Present(adapter, JsonValueKind.Object)
                ? new NativeAdapterReference(Str(adapter, "AssemblyPath")!, Str(adapter, "DeclaringType")!, Int(adapter, "MetadataToken"), Bool(adapter, "OnEmptyClosure"))
                : null!,
            Time(native, "InitTimeout") ?? default, Time(native, "ShutdownTimeout") ?? default, Time(native, "InvokeTimeout") ?? default,
            Long(native, "MaxOutputBytes"), Bool(native, "UnloadWhenAllowed"), Str(native, "RuntimeIdentifier"), Layouts(Get(native, "Layouts")));
    }

    private static List<InterfaceLayoutOnWire>? Layouts(JsonElement layouts)
    {
        if (!Present(layouts, JsonValueKind.Array))
        {
            return null;
        }
        var values = new List<InterfaceLayoutOnWire>(layouts.GetArrayLength());
        foreach (JsonElement layout in layouts.EnumerateArray())
        {
            JsonElement hashes = Get(layout, "MemberHashes");
            var read = new List<ulong>();
            if (Present(hashes, JsonValueKind.Array))
            {
                foreach (JsonElement hash in hashes.EnumerateArray())
                {
                    read.Add(hash.GetUInt64());
                }
            }
            values.Add(new InterfaceLayoutOnWire(Str(layout, "Id")!, Strings(layout, "MemberNames")!, read));
        }
        return values;
    }

    private static List<InstanceState>? States(JsonElement states)
    {
        if (!Present(states, JsonValueKind.Array))
        {
            return null;
        }
        var values = new List<InstanceState>(states.GetArrayLength());
        foreach (JsonElement state in states.EnumerateArray())
        {
            values.Add(new InstanceState(Int(state, "Instance"), Str(state, "EntryType")!, Str(state, "StateType")!, Get(state, "State").Clone()));
        }
        return values;
    }

    private static RemoteLoadError? LoadError(JsonElement error) =>
        Present(error, JsonValueKind.Object)
            ? new RemoteLoadError(Enum<PluginErrorCode>(error, "Code"), Str(error, "Path"), Str(error, "Cause")!, Str(error, "Fix")!)
            : null;

    private static RemoteError? Error(JsonElement error) =>
        Present(error, JsonValueKind.Object)
            ? new RemoteError(Str(error, "Type")!, Str(error, "Message")!, Str(error, "StackTrace"), Error(Get(error, "Inner")))
            : null;
}
