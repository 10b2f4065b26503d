namespace Plugboard.Contracts;

/// <summary>The fixed-size values that cross the boundary as they are (C <c>stdint.h</c> types, Rust primitives).</summary>
public enum ScalarType
{
    /// <summary><c>sbyte</c>: <c>int8_t</c>, <c>i8</c>.</summary>
    Int8,
    /// <summary><c>byte</c>: <c>uint8_t</c>, <c>u8</c>.</summary>
    UInt8,
    /// <summary><c>short</c>: <c>int16_t</c>, <c>i16</c>.</summary>
    Int16,
    /// <summary><c>ushort</c>: <c>uint16_t</c>, <c>u16</c>.</summary>
    UInt16,
    /// <summary><c>int</c>: <c>int32_t</c>, <c>i32</c>.</summary>
    Int32,
    /// <summary><c>uint</c>: <c>uint32_t</c>, <c>u32</c>.</summary>
    UInt32,
    /// <summary><c>long</c>: <c>int64_t</c>, <c>i64</c>.</summary>
    Int64,
    /// <summary><c>ulong</c>: <c>uint64_t</c>, <c>u64</c>.</summary>
    UInt64,
    /// <summary><c>nint</c>: <c>intptr_t</c>, <c>isize</c>.</summary>
    IntPtr,
    /// <summary><c>nuint</c>: <c>uintptr_t</c>, <c>usize</c>.</summary>
    UIntPtr,
    /// <summary><c>float</c>: <c>float</c>, <c>f32</c>.</summary>
    Float32,
    /// <summary><c>double</c>: <c>double</c>, <c>f64</c>.</summary>
    Float64,
    /// <summary><c>bool</c>: one byte, 0 or 1 (<c>uint8_t</c> in C; Rust checks the byte before it becomes a <c>bool</c>).</summary>
    Bool,
}
