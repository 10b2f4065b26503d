using System.Globalization;
using System.Text;
using Plugboard.Contracts.Layout;

namespace Plugboard.Contracts.Bindings;

/// <summary>
/// The host side of an <c>[ExportedClass]</c>: one process-wide table of <c>[UnmanagedCallersOnly]</c> functions over
/// the host's own class (<c>NoteHostTable</c> for <c>Notebook.Api.Note</c>). A plugin gets a handle to a host object
/// as (the call token, this table); each function resolves the token to the object of its class that the running
/// call passed (<c>NativeCall.TryGetHostObject</c>), so it reaches that very object, only during that call and only on
/// its thread (a stale handle gets <c>PB_ERR_NO_CALL</c> and touches nothing). Every function checks its arguments as
/// the NativeAOT bindings' tables do and turns every exception into a status: nothing unwinds into native code.
/// Part of the <c>csharp-host</c> file, which references the host API itself.
/// </summary>
internal static class HostTableEmitter
{
    // The host side: Plugboard.Native's status values and its HostArguments helpers.
    private static readonly ServedReturnWriter.Names HostNames = new("NativeStatus.Ok", "NativeStatus.InvalidArgument", "HostArguments.Write", "HostArguments.StructOut");

    public static void EmitTable(StringBuilder c, ContractInterface exported)
    {
        string server = exported.TypeName + "HostTable";
        int size = 8 + (8 * exported.Methods.Count);
        c.Append(CultureInfo.InvariantCulture, $"/// <summary>The host's <c>{exported.Id}</c> table over <see cref=\"global::{exported.FullName}\"/>: a plugin's handle names the object of this class its call passed. Layout hash {LayoutHash.Format(exported.LayoutHash)}.</summary>\n");
        c.Append(CultureInfo.InvariantCulture, $$"""
            public static unsafe class {{server}}
            {
                /// <summary>The interface id.</summary>
                public const string Id = "{{exported.Id}}";

                private static readonly string[] MemberNames = [{{string.Join(", ", exported.Methods.Select(m => HostProxyEmitter.Quote(m.DisplayName)))}}];

                private static readonly Lazy<nint> Instance = new(Create);

                /// <summary>The layout this host serves: register it with the table (<see cref="Address"/>) so a plugin recording another is refused before it loads (PB0418).</summary>
                public static NativeInterfaceLayout Layout { get; } = new(Id, MemberNames, [{{string.Join(", ", exported.Methods.Select(m => LayoutHash.Format(m.LayoutHash) + "UL"))}}]);

                /// <summary>The table's address; allocated once and never freed (plugins may keep it; the handles they keep die with their call).</summary>
                public static nint Address => Instance.Value;

                private static nint Create()
                {
                    byte* table = (byte*)NativeMemory.AllocZeroed({{size}});
                    *(uint*)table = {{size}};
                    nint* functions = (nint*)(table + 8);

            """);
        for (int i = 0; i < exported.Methods.Count; i++)
        {
            ContractMethod method = exported.Methods[i];
            c.Append(CultureInfo.InvariantCulture, $"        functions[{i}] = (nint)(delegate* unmanaged[Cdecl]<{string.Join(", ", AbiParameters(method).Select(p => p.Type))}, int>)&{NativeNames.Pascal(method.NativeName)};\n");
        }
        c.Append("        return (nint)table;\n    }\n\n");
        foreach (ContractMethod method in exported.Methods)
        {
            EmitFunction(c, exported, method);
        }
        c.Append("}\n\n");
    }

    public static void EmitOffer(StringBuilder c, ContractModel model, List<ContractInterface> classes)
    {
        string name = model.AssemblyName.Replace(".", string.Empty, StringComparison.Ordinal) + "HostTables";
        c.Append(CultureInfo.InvariantCulture, $$"""
            /// <summary>The host tables of {{model.AssemblyName}}'s exported classes ({{string.Join(", ", classes.Select(x => x.Id))}}).</summary>
            public static class {{name}}
            {
                /// <summary>
                /// Offers every exported class's table, with its layout, to the plugins loaded with <paramref name="options"/> (e.g. a
                /// <c>PluginHost</c>'s <c>PluginHostOptions.NativePlugins</c>): a proxy passes them as handles, and a plugin recording
                /// another layout of one is refused before its library opens (PB0418).
                /// </summary>
                public static NativePluginLoaderOptions Offer(NativePluginLoaderOptions options)
                {
                    ArgumentNullException.ThrowIfNull(options);

            """);
        foreach (ContractInterface exported in classes)
        {
            c.Append(CultureInfo.InvariantCulture, $"        options.Interfaces.Register({exported.TypeName}HostTable.Address, {exported.TypeName}HostTable.Layout);\n");
        }
        c.Append("        return options;\n    }\n}\n\n");
    }

    private static void EmitFunction(StringBuilder c, ContractInterface exported, ContractMethod method)
    {
        string name = NativeNames.Pascal(method.NativeName);
        c.Append(CultureInfo.InvariantCulture, $"    /// <summary>{HostProxyEmitter.Xml(FunctionComment.For(method))}</summary>\n");
        c.Append("    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]\n");
        c.Append(CultureInfo.InvariantCulture, $"    private static int {name}({string.Join(", ", AbiParameters(method).Select(p => p.Type + " " + p.Name))})\n    {{\n        try\n        {{\n");
        c.Append(CultureInfo.InvariantCulture, $"            if (!NativeCall.TryGetHostObject<global::{exported.FullName}>(ctx, out var target))\n            {{\n                return NativeStatus.NoCall;\n            }}\n");
        var arguments = new List<string>();
        foreach (ContractParameter parameter in method.Parameters)
        {
            string abi = NativeNames.Identifier(parameter.Name);
            ContractShape shape = parameter.Shape;
            string element = shape.Element is null ? string.Empty : HostProxyEmitter.AbiType(shape.Element);
            arguments.Add(shape.Kind switch
            {
                ShapeKind.Utf8String => $"HostArguments.Text({abi}, {abi}_len)",
                ShapeKind.Span when shape.Element!.Kind == ShapeKind.Struct => $"HostArguments.StructSpan({abi}, {abi}_len){(IsArray(shape) ? ".ToArray()" : string.Empty)}",
                ShapeKind.Span => $"HostArguments.Span({abi}, {abi}_len){(IsArray(shape) ? ".ToArray()" : string.Empty)}",
                ShapeKind.Struct => $"HostArguments.Struct({abi})",
                ShapeKind.Handle => $"HostArguments.Object<global::{shape.TypeName}>({abi})",
                ShapeKind.Scalar when shape.Scalar == ScalarType.Bool => $"HostArguments.Bool({abi})",
                _ => abi,
            });
        }
        bool accessor = method.DisplayName.Contains(" { ", StringComparison.Ordinal);
        string call = accessor
            ? method.Name.StartsWith("get_", StringComparison.Ordinal) ? $"target.{method.Name[4..]}" : $"target.{method.Name[4..]} = {arguments[0]}"
            : $"target.{method.Name}({string.Join(", ", arguments)})";
        ServedReturnWriter.Append(c, method.Returns, call, HostNames);
        c.Append("        }\n#pragma warning disable CA1031 // nothing may unwind into native code: every failure is a status\n        catch (Exception ex)\n#pragma warning restore CA1031\n        {\n            return HostArguments.StatusOf(ex);\n        }\n    }\n\n");
    }

    private static bool IsArray(ContractShape shape) => shape.Display.EndsWith("[]", StringComparison.Ordinal);

    private static IEnumerable<(string Type, string Name)> AbiParameters(ContractMethod method)
    {
        yield return ("nint", "ctx");
        foreach (ContractParameter parameter in method.Parameters)
        {
            string name = NativeNames.Identifier(parameter.Name);
            ContractShape shape = parameter.Shape;
            switch (shape.Kind)
            {
                case ShapeKind.Utf8String:
                    yield return ("byte*", name);
                    yield return ("nuint", name + "_len");
                    break;
                case ShapeKind.Span:
                    yield return (HostProxyEmitter.AbiType(shape.Element!) + "*", name);
                    yield return ("nuint", name + "_len");
                    break;
                case ShapeKind.Struct:
                    yield return (HostProxyEmitter.AbiType(shape) + "*", name);
                    break;
                case ShapeKind.Handle:
                    yield return ("nint", name);
                    yield return ("nint", name + "_vtbl");
                    break;
                default:
                    yield return (HostProxyEmitter.AbiType(shape), name);
                    break;
            }
        }
        switch (method.Returns.Kind)
        {
            case ShapeKind.Void:
                break;
            case ShapeKind.Utf8String or ShapeKind.Span:
                yield return ("nint", "out_ctx");
                yield return (ServedReturnWriter.SinkType, "out_write");
                break;
            default:
                yield return (HostProxyEmitter.AbiType(method.Returns) + "*", "out_result");
                break;
        }
    }

    /// <summary>The argument checks of the host tables (internal to the host), with the statuses of <c>NativeStatus</c>.</summary>
    public const string Support = """
        /// <summary>A host table refused a call with a status.</summary>
        internal sealed class HostTableException(int status, string message) : Exception(message)
        {
            public int Status { get; } = status;
        }

        /// <summary>Checks what a plugin passed to a host table: NULL only with length 0, UTF-8, struct sizes, bools, live handles.</summary>
        internal static unsafe class HostArguments
        {
            public static int StatusOf(Exception exception) => exception switch
            {
                HostTableException refused => refused.Status,
                ArgumentException => NativeStatus.InvalidArgument,
                _ => NativeStatus.Failed,
            };

            public static string Text(byte* data, nuint length)
            {
                ReadOnlySpan<byte> bytes = Span(data, length);
                if (!System.Text.Unicode.Utf8.IsValid(bytes))
                {
                    throw new HostTableException(NativeStatus.InvalidUtf8, "a string was not UTF-8");
                }
                return Encoding.UTF8.GetString(bytes);
            }

            public static Span<T> Span<T>(T* data, nuint length) where T : unmanaged
            {
                if (length == 0)
                {
                    return default;
                }
                if (data == null || length > (nuint)(int.MaxValue / sizeof(T)))
                {
                    throw new HostTableException(NativeStatus.InvalidArgument, "a span is NULL with a non-zero length, or too long");
                }
                return new Span<T>(data, (int)length);
            }

            // Elements of a span are laid out with the sender's size: it must be this build's.
            public static Span<T> StructSpan<T>(T* data, nuint length) where T : unmanaged
            {
                Span<T> items = Span(data, length);
                for (int i = 0; i < items.Length; i++)
                {
                    if (*(uint*)Unsafe.AsPointer(ref items[i]) != (uint)sizeof(T))
                    {
                        throw new HostTableException(NativeStatus.InvalidArgument, "a span element declares another size than this build's");
                    }
                }
                return items;
            }

            // A struct the sender declared smaller (an older minor) is read as far as it goes; the rest keeps its default.
            public static T Struct<T>(T* data) where T : unmanaged
            {
                if (data == null || *(uint*)data < sizeof(uint))
                {
                    throw new HostTableException(NativeStatus.InvalidArgument, "a struct pointer is NULL or declares no size");
                }
                T value = default;
                Buffer.MemoryCopy(data, &value, sizeof(T), Math.Min(*(uint*)data, (uint)sizeof(T)));
                *(uint*)&value = (uint)sizeof(T);
                return value;
            }

            // Writes at most the size the caller declared, and tells it how much was written.
            public static void StructOut<T>(T* result, T value) where T : unmanaged
            {
                uint declared = *(uint*)result;
                if (declared < sizeof(uint))
                {
                    throw new HostTableException(NativeStatus.InvalidArgument, "out_result declares no size; set its struct_size");
                }
                uint count = Math.Min(declared, (uint)sizeof(T));
                Buffer.MemoryCopy(&value, result, declared, count);
                *(uint*)result = count;
            }

            public static bool Bool(byte value) => value switch
            {
                0 => false,
                1 => true,
                _ => throw new HostTableException(NativeStatus.InvalidArgument, $"a bool was {value}, not 0 or 1"),
            };

            // A handle the plugin passes back: the object of that type its running call passed, or nothing (a stale handle).
            public static T Object<T>(nint ctx) where T : class =>
                NativeCall.TryGetHostObject<T>(ctx, out T? value) ? value : throw new HostTableException(NativeStatus.NoCall, "the handle names no call running on this thread");

            public static int Write(nint ctx, delegate* unmanaged[Cdecl]<nint, byte*, nuint, int> write, byte[] bytes)
            {
                if (write == null)
                {
                    return NativeStatus.InvalidArgument;
                }
                fixed (byte* data = bytes)
                {
                    return write(ctx, data, (nuint)bytes.Length);
                }
            }
        }

        """;
}
