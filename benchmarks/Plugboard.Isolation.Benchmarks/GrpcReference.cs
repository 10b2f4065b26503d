using System.Diagnostics;
using System.Net.Sockets;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Plugboard.Isolation.Benchmarks;

/// <summary>
/// What a user would otherwise build: a gRPC service in a process of its own, called over a Unix domain socket like
/// Plugboard's worker, in front of the same plugin (loaded in process in the server) so that both sides of the
/// comparison run the same method on the same data. The message is the string's UTF-8 bytes as they are (no protobuf
/// envelope): the cheapest gRPC call there is, so the reference is not flattered.
/// </summary>
internal static class GrpcReference
{
    public const string ServerFlag = "--grpc-server";

    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    /// <summary>The one method: the plugin's <see cref="IsolationApi.IProbe.Echo"/> of the request's text.</summary>
    public static readonly Method<byte[], byte[]> EchoMethod = new(MethodType.Unary, "plugboard.bench.Reference", nameof(EchoService.Echo), Bytes, Bytes);

    /// <summary>Runs the server in this process (the benchmark started it with <see cref="ServerFlag"/>) until its parent ends.</summary>
    public static async Task<int> ServeAsync(string socketPath, string pluginsRoot)
    {
        await using var plugins = new PluginHost<IsolationApi.IProbe>();
        LoadedPlugin<IsolationApi.IProbe> plugin = (await plugins.LoadAllAsync(plugins.Discover(pluginsRoot))).Loaded.Single();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc(o => o.MaxReceiveMessageSize = 1 << 20);
        builder.Services.AddSingleton(new EchoService(plugin));
        builder.WebHost.ConfigureKestrel(k => k.ListenUnixSocket(socketPath, l => l.Protocols = HttpProtocols.Http2));
        WebApplication app = builder.Build();
        app.MapGrpcService<EchoService>();
        await app.StartAsync();
        Console.WriteLine("ready");
        // The benchmark holds standard input open: its end (the parent gone) ends the server, so none outlives a run.
        await Console.In.ReadToEndAsync();
        await app.StopAsync();
        return 0;
    }

    /// <summary>A started reference server and a channel to it.</summary>
    public sealed class Client : IDisposable
    {
        private readonly Process _server;
        private readonly GrpcChannel _channel;
        private readonly string _socket;

        /// <param name="pluginsRoot">The folder the server discovers the plugin in.</param>
        public Client(string pluginsRoot)
        {
            _socket = Path.Combine(Path.GetTempPath(), $"plugboard-grpc-{Guid.NewGuid():N}.sock");
            var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
            // Under the dotnet muxer the program is its first argument; started through its apphost it is not (the
            // server flag must then come first, or the child runs the benchmarks instead of serving).
            if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
            {
                start.ArgumentList.Add(typeof(GrpcReference).Assembly.Location);
            }
            start.ArgumentList.Add(ServerFlag);
            start.ArgumentList.Add(_socket);
            start.ArgumentList.Add(pluginsRoot);
            _server = Process.Start(start)!;
            Task<string?> first = _server.StandardOutput.ReadLineAsync();
            if (!first.Wait(TimeSpan.FromSeconds(30)) || first.Result != "ready")
            {
                _server.Kill();
                throw new InvalidOperationException($"The gRPC reference server did not start within 30 s (its first line: {(first.IsCompleted ? first.Result : "none")}).");
            }
            var handler = new SocketsHttpHandler
            {
                ConnectCallback = async (_, cancel) =>
                {
                    var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(_socket), cancel);
                    return new NetworkStream(socket, ownsSocket: true);
                },
            };
            _channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = handler, MaxReceiveMessageSize = 1 << 20 });
            Invoker = _channel.CreateCallInvoker();
        }

        public CallInvoker Invoker { get; }

        /// <summary>One round trip of <paramref name="text"/>, decoded back into a string as Plugboard's call returns one.</summary>
        public string Echo(string text) =>
            // A deadline as Plugboard's calls have (CallTimeout): a call that hangs fails the run instead of stalling it.
            System.Text.Encoding.UTF8.GetString(Invoker.BlockingUnaryCall(EchoMethod, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(30)), System.Text.Encoding.UTF8.GetBytes(text)));

        public void Dispose()
        {
            _channel.Dispose();
            _server.StandardInput.Close();
            if (!_server.WaitForExit(10_000))
            {
                _server.Kill();
            }
            _server.Dispose();
            File.Delete(_socket);
        }
    }

    /// <summary>The service base as gRPC's code generator would write it, by hand (no .proto, no protoc).</summary>
    [BindServiceMethod(typeof(EchoServiceBase), nameof(BindService))]
    public abstract class EchoServiceBase
    {
        public virtual Task<byte[]> Echo(byte[] request, ServerCallContext context) => throw new RpcException(new Status(StatusCode.Unimplemented, string.Empty));

        public static void BindService(ServiceBinderBase binder, EchoServiceBase? service) =>
            binder.AddMethod(EchoMethod, service is null ? null : new UnaryServerMethod<byte[], byte[]>(service.Echo));
    }

    /// <summary>The request's text through the plugin's Echo, as the worker runs it.</summary>
    public sealed class EchoService(LoadedPlugin<IsolationApi.IProbe> plugin) : EchoServiceBase
    {
        public override Task<byte[]> Echo(byte[] request, ServerCallContext context)
        {
            string text = System.Text.Encoding.UTF8.GetString(request);
            return Task.FromResult(System.Text.Encoding.UTF8.GetBytes(plugin.Invoke(p => p.Echo(text))));
        }
    }
}
