using System.Text;
using System.Text.Unicode;

namespace Plugboard.Native.Internal;

/// <summary>Strict UTF-8 decoding of (pointer, length) strings coming from plugins.</summary>
internal static unsafe class Utf8Text
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes, or returns false when the bytes are not UTF-8 or the pointer is null with a length.</summary>
    public static bool TryDecode(byte* data, nuint length, out string text)
    {
        if (length == 0)
        {
            text = string.Empty;
            return true;
        }
        if (data == null || length > int.MaxValue)
        {
            text = string.Empty;
            return false;
        }
        var span = new ReadOnlySpan<byte>(data, (int)length);
        if (!Utf8.IsValid(span))
        {
            text = string.Empty;
            return false;
        }
        text = Strict.GetString(span);
        return true;
    }

    /// <summary>Decodes for display, replacing invalid sequences, so an error message always gets through.</summary>
    public static string DecodeLenient(byte* data, nuint length)
    {
        if (data == null || length == 0)
        {
            return string.Empty;
        }
        return Encoding.UTF8.GetString(data, (int)Math.Min(length, 64 * 1024));
    }

    /// <summary>Views plugin bytes as a span (no copy), or false when invalid.</summary>
    public static bool TryView(byte* data, nuint length, out ReadOnlySpan<byte> span)
    {
        if (length == 0)
        {
            span = default;
            return true;
        }
        if (data == null || length > int.MaxValue)
        {
            span = default;
            return false;
        }
        span = new ReadOnlySpan<byte>(data, (int)length);
        return Utf8.IsValid(span);
    }
}
