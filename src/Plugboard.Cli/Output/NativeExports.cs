using System.Buffers.Binary;
using System.Text;

namespace Plugboard.Cli.Output;

/// <summary>
/// The symbols a native library exports, read from its file without loading it: the dynamic symbol table of an ELF
/// file (Linux) or the export directory of a PE file (Windows). Other formats are named but not listed.
/// </summary>
internal sealed record NativeExports(string Format, IReadOnlyList<string>? Symbols)
{
    private const int MaxSymbols = 100_000;

    public static NativeExports Read(string path)
    {
        byte[] data;
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (IOException)
        {
            return new NativeExports("unreadable", null);
        }
        try
        {
            if (data.Length > 0x40 && data[0] == 0x7F && data[1] == (byte)'E' && data[2] == (byte)'L' && data[3] == (byte)'F')
            {
                return data[5] != 1 ? new NativeExports("ELF (big-endian)", null) : new NativeExports(data[4] == 2 ? "ELF64" : "ELF32", Elf(data, data[4] == 2));
            }
            if (data.Length > 0x40 && data[0] == (byte)'M' && data[1] == (byte)'Z')
            {
                return new NativeExports("PE", Pe(data));
            }
            uint magic = data.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(data) : 0;
            return magic is 0xFEEDFACF or 0xFEEDFACE or 0xCAFEBABE or 0xBEBAFECA ? new NativeExports("Mach-O", null) : new NativeExports("unknown", null);
        }
        catch (Exception ex) when (ex is ArgumentOutOfRangeException or IndexOutOfRangeException or ArgumentException or OverflowException)
        {
            return new NativeExports("malformed", null);
        }
    }

    private static List<string> Elf(byte[] d, bool is64)
    {
        ReadOnlySpan<byte> s = d;
        long shoff = is64 ? (long)BinaryPrimitives.ReadUInt64LittleEndian(s[0x28..]) : BinaryPrimitives.ReadUInt32LittleEndian(s[0x20..]);
        int shentsize = BinaryPrimitives.ReadUInt16LittleEndian(s[(is64 ? 0x3A : 0x2E)..]);
        int shnum = BinaryPrimitives.ReadUInt16LittleEndian(s[(is64 ? 0x3C : 0x30)..]);
        var symbols = new SortedSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < shnum; i++)
        {
            ReadOnlySpan<byte> sh = s.Slice(checked((int)(shoff + (long)i * shentsize)), shentsize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(sh[4..]) != 11)
            {
                continue; // not SHT_DYNSYM
            }
            long offset = is64 ? (long)BinaryPrimitives.ReadUInt64LittleEndian(sh[0x18..]) : BinaryPrimitives.ReadUInt32LittleEndian(sh[0x10..]);
            long size = is64 ? (long)BinaryPrimitives.ReadUInt64LittleEndian(sh[0x20..]) : BinaryPrimitives.ReadUInt32LittleEndian(sh[0x14..]);
            int link = (int)BinaryPrimitives.ReadUInt32LittleEndian(sh[(is64 ? 0x28 : 0x18)..]);
            ReadOnlySpan<byte> strtabHeader = s.Slice(checked((int)(shoff + (long)link * shentsize)), shentsize);
            long strOffset = is64 ? (long)BinaryPrimitives.ReadUInt64LittleEndian(strtabHeader[0x18..]) : BinaryPrimitives.ReadUInt32LittleEndian(strtabHeader[0x10..]);
            int symSize = is64 ? 24 : 16;
            for (long at = offset + symSize; at + symSize <= offset + size && symbols.Count < MaxSymbols; at += symSize)
            {
                ReadOnlySpan<byte> sym = s.Slice(checked((int)at), symSize);
                uint name = BinaryPrimitives.ReadUInt32LittleEndian(sym);
                byte info = sym[is64 ? 4 : 12];
                byte other = sym[is64 ? 5 : 13];
                ushort section = BinaryPrimitives.ReadUInt16LittleEndian(sym[(is64 ? 6 : 14)..]);
                int binding = info >> 4, type = info & 0xF, visibility = other & 3;
                if (section != 0 && binding is 1 or 2 && type is 1 or 2 && visibility is 0 or 3)
                {
                    symbols.Add(CString(d, checked((int)(strOffset + name))));
                }
            }
        }
        return [.. symbols];
    }

    private static List<string> Pe(byte[] d)
    {
        ReadOnlySpan<byte> s = d;
        int pe = BinaryPrimitives.ReadInt32LittleEndian(s[0x3C..]);
        if (BinaryPrimitives.ReadUInt32LittleEndian(s[pe..]) != 0x00004550)
        {
            return [];
        }
        int coff = pe + 4;
        int sections = BinaryPrimitives.ReadUInt16LittleEndian(s[(coff + 2)..]);
        int optionalSize = BinaryPrimitives.ReadUInt16LittleEndian(s[(coff + 16)..]);
        int optional = coff + 20;
        bool plus = BinaryPrimitives.ReadUInt16LittleEndian(s[optional..]) == 0x20B;
        int directories = optional + (plus ? 112 : 96);
        uint exportRva = BinaryPrimitives.ReadUInt32LittleEndian(s[directories..]);
        if (exportRva == 0)
        {
            return [];
        }
        int table = optional + optionalSize;
        int Offset(uint rva) => RvaToOffset(d, table, sections, rva);
        int export = Offset(exportRva);
        int count = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(s[(export + 24)..]), MaxSymbols);
        int names = Offset(BinaryPrimitives.ReadUInt32LittleEndian(s[(export + 32)..]));
        var symbols = new SortedSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            symbols.Add(CString(d, Offset(BinaryPrimitives.ReadUInt32LittleEndian(s[(names + (i * 4))..]))));
        }
        return [.. symbols];
    }

    private static int RvaToOffset(byte[] d, int table, int sections, uint rva)
    {
        ReadOnlySpan<byte> s = d;
        for (int i = 0; i < sections; i++)
        {
            ReadOnlySpan<byte> section = s.Slice(table + (i * 40), 40);
            uint virtualSize = BinaryPrimitives.ReadUInt32LittleEndian(section[8..]);
            uint virtualAddress = BinaryPrimitives.ReadUInt32LittleEndian(section[12..]);
            uint rawSize = BinaryPrimitives.ReadUInt32LittleEndian(section[16..]);
            uint rawPointer = BinaryPrimitives.ReadUInt32LittleEndian(section[20..]);
            if (rva >= virtualAddress && rva < virtualAddress + Math.Max(virtualSize, rawSize))
            {
                return checked((int)(rva - virtualAddress + rawPointer));
            }
        }
        throw new ArgumentOutOfRangeException(nameof(rva));
    }

    private static string CString(byte[] data, int offset)
    {
        int end = Array.IndexOf(data, (byte)0, offset);
        return Encoding.UTF8.GetString(data, offset, (end < 0 ? data.Length : end) - offset);
    }
}
