using System.Globalization;
using System.Text;

namespace Plugboard.Contracts.Bindings;

/// <summary>
/// How a C# function serving a table (the host's class tables, a NativeAOT plugin's contract table) hands its
/// implementation's result back over the ABI: text and bytes through the caller's sink, a struct or scalar through
/// its out pointer, checked before anything is written. One rule for both sides; each names its own status values and
/// runtime helpers (<see cref="Names"/>).
/// </summary>
internal static class ServedReturnWriter
{
    /// <summary>The C# type of the ABI's byte sink (<c>out_write</c>), as both sides' emitted functions declare it.</summary>
    public const string SinkType = "delegate* unmanaged[Cdecl]<nint, byte*, nuint, int>";

    /// <summary>The status values and helpers of the side the generated code runs on.</summary>
    /// <param name="Ok">The success status expression.</param>
    /// <param name="InvalidArgument">The status for a NULL out pointer.</param>
    /// <param name="WriteSink">The helper that writes bytes to <c>out_ctx</c>/<c>out_write</c>.</param>
    /// <param name="StructOut">The helper that copies a struct to <c>out_result</c>.</param>
    public sealed record Names(string Ok, string InvalidArgument, string WriteSink, string StructOut);

    /// <summary>Appends the statements that make <paramref name="call"/> and return its result as <paramref name="returns"/> says.</summary>
    public static void Append(StringBuilder c, ContractShape returns, string call, Names names)
    {
        switch (returns.Kind)
        {
            case ShapeKind.Void:
                c.Append(CultureInfo.InvariantCulture, $"            {call};\n            return {names.Ok};\n");
                break;
            case ShapeKind.Utf8String:
                c.Append(CultureInfo.InvariantCulture, $"            return {names.WriteSink}(out_ctx, out_write, Encoding.UTF8.GetBytes({call}));\n");
                break;
            case ShapeKind.Span:
                c.Append(CultureInfo.InvariantCulture, $"            return {names.WriteSink}(out_ctx, out_write, {call});\n");
                break;
            case ShapeKind.Struct:
                c.Append(CultureInfo.InvariantCulture, $"            if (out_result == null)\n            {{\n                return {names.InvalidArgument};\n            }}\n            {names.StructOut}(out_result, {call});\n            return {names.Ok};\n");
                break;
            default:
                // The out pointer is checked before the call, so a refused call has no effect.
                string value = returns.Kind == ShapeKind.Scalar && returns.Scalar == ScalarType.Bool ? $"(byte)({call} ? 1 : 0)" : call;
                c.Append(CultureInfo.InvariantCulture, $"            if (out_result == null)\n            {{\n                return {names.InvalidArgument};\n            }}\n            *out_result = {value};\n            return {names.Ok};\n");
                break;
        }
    }
}
