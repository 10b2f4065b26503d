using System.Diagnostics;
using System.Runtime.InteropServices;
using Plugboard.Native.Internal;

namespace Plugboard.Native.Tests;

/// <summary>
/// Random and mutated plugin descriptors for a bounded time (PLUGBOARD_FUZZ_SECONDS, default 3): validation gives a
/// typed error or accepts, never anything else. String pointers are kept valid (or NULL): a plugin handing the host
/// wild pointers can crash any in-process host, and no validation can read them safely.
/// </summary>
[Collection(GlobalMeasurement.Name)]
public sealed unsafe class DescriptorFuzzTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(
        double.TryParse(Environment.GetEnvironmentVariable("PLUGBOARD_FUZZ_SECONDS"), System.Globalization.CultureInfo.InvariantCulture, out double s) ? s : 3);

    [Fact]
    public void Descriptor_validation_only_ever_fails_with_typed_errors()
    {
        var random = new Random(4242);
        const int TextCapacity = 256;
        byte* text = (byte*)NativeMemory.Alloc(TextCapacity);
        AbiPluginDescriptor* descriptor = (AbiPluginDescriptor*)NativeMemory.Alloc((nuint)sizeof(AbiPluginDescriptor));
        var codes = new Dictionary<PluginErrorCode, int>();
        int runs = 0, accepted = 0;
        try
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < Budget)
            {
                random.NextBytes(new Span<byte>(descriptor, sizeof(AbiPluginDescriptor)));
                random.NextBytes(new Span<byte>(text, TextCapacity));
                // Most runs get valid leading fields, so that the deeper checks are reached too.
                if (random.Next(4) != 0)
                {
                    descriptor->Magic = AbiConstants.PluginMagic;
                }
                if (random.Next(4) != 0)
                {
                    descriptor->AbiMajor = AbiConstants.AbiMajor;
                }
                descriptor->StructSize = random.Next(8) switch
                {
                    0 => (uint)random.Next(0, sizeof(AbiPluginDescriptor)),   // too small
                    1 => descriptor->StructSize,                              // any 32-bit value
                    _ => (uint)(sizeof(AbiPluginDescriptor) + random.Next(0, 64)), // this minor or a later one
                };
                if (random.Next(3) == 0)
                {
                    // Mostly ASCII text, so that some descriptors are entirely valid.
                    for (int i = 0; i < TextCapacity; i++)
                    {
                        text[i] = (byte)random.Next(0x20, 0x7F);
                    }
                }
                descriptor->Id = StringPointer(random, text, TextCapacity, out descriptor->IdLength);
                descriptor->Name = StringPointer(random, text, TextCapacity, out descriptor->NameLength);
                descriptor->Version = StringPointer(random, text, TextCapacity, out descriptor->VersionLength);
                if (random.Next(6) == 0)
                {
                    *((nint*)&descriptor->Init + random.Next(4)) = 0;
                }
                try
                {
                    NativePlugin.ValidateDescriptor(descriptor, "fuzz", "/fuzz/libfuzz.so");
                    accepted++;
                }
                catch (PluginException ex)
                {
                    codes[ex.Code] = codes.GetValueOrDefault(ex.Code) + 1;
                }
                catch (Exception ex)
                {
                    Assert.Fail($"run {runs}: validation threw {ex.GetType().Name}: {ex.Message}");
                }
                runs++;
            }
        }
        finally
        {
            NativeMemory.Free(text);
            NativeMemory.Free(descriptor);
        }
        Assert.True(runs > 1000, $"only {runs} runs");
        Assert.True(accepted > 0, "no descriptor was ever valid: the fuzzer does not reach the end of validation");
        foreach (PluginErrorCode expected in new[] { PluginErrorCode.NativeBadMagic, PluginErrorCode.NativeAbiVersionUnsupported, PluginErrorCode.NativeStructTooSmall, PluginErrorCode.NativeRequiredFunctionMissing, PluginErrorCode.NativeInvalidUtf8 })
        {
            Assert.True(codes.ContainsKey(expected), $"{expected} was never produced in {runs} runs");
        }
    }

    private static byte* StringPointer(Random random, byte* text, int capacity, out nuint length)
    {
        switch (random.Next(5))
        {
            case 0:
                length = (nuint)random.Next(0, 3);
                return null; // NULL is valid only with length 0
            default:
                int offset = random.Next(capacity);
                length = (nuint)random.Next(0, capacity - offset + 1);
                return text + offset;
        }
    }
}
