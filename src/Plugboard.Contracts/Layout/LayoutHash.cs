using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Plugboard.Contracts.Layout;

/// <summary>
/// Layout hashes: the first 8 bytes of the SHA-256 of a canonical text (little-endian), like GDExtension's
/// per-method hashes and uniffi's contract checksums. The text holds names, order and ABI shapes, never parameter
/// names or documentation, so a rename of a parameter or a doc change keeps the hash.
/// </summary>
public static class LayoutHash
{
    /// <summary>The hash of a canonical text.</summary>
    /// <param name="canonical">The text.</param>
    /// <returns>The hash.</returns>
    public static ulong Of(string canonical)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(canonical), digest);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(digest);
    }

    /// <summary>A hash as the bindings write it: <c>0x</c> and 16 hex digits.</summary>
    /// <param name="hash">The hash.</param>
    /// <returns>The text.</returns>
    public static string Format(ulong hash) => "0x" + hash.ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>The canonical text of an interface's first <paramref name="count"/> members.</summary>
    /// <param name="id">The interface id.</param>
    /// <param name="count">How many members.</param>
    /// <param name="methods">The members.</param>
    /// <returns>The text.</returns>
    public static string InterfaceText(string id, int count, IReadOnlyList<ContractMethod> methods)
    {
        ArgumentNullException.ThrowIfNull(methods);
        var text = new StringBuilder("interface ").Append(id).Append('\n');
        foreach (ContractMethod method in methods.Take(count))
        {
            text.Append(method.Signature).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>The canonical text of a struct's first <paramref name="count"/> fields.</summary>
    /// <param name="fullName">The struct's full name.</param>
    /// <param name="count">How many fields.</param>
    /// <param name="fields">The fields.</param>
    /// <returns>The text.</returns>
    public static string StructText(string fullName, int count, IReadOnlyList<SharedField> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var text = new StringBuilder("struct ").Append(fullName).Append('\n');
        foreach (SharedField field in fields.Take(count))
        {
            text.Append(field.Signature).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>The canonical text of an enum.</summary>
    /// <param name="shared">The enum.</param>
    /// <returns>The text.</returns>
    public static string EnumText(SharedEnum shared)
    {
        ArgumentNullException.ThrowIfNull(shared);
        var text = new StringBuilder("enum ").Append(shared.FullName).Append(" : ").Append(ContractShape.ForScalar(shared.Underlying).Canonical).Append('\n');
        foreach (SharedEnumMember member in shared.Members)
        {
            text.Append(member.Name).Append(" = ").Append(member.Value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        return text.ToString();
    }
}
