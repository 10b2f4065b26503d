using System.Security.Cryptography;

namespace Plugboard.Contracts.Generator.Downlevel;

// SHA256.HashData (.NET 5+), which the layout hash uses, for the netstandard2.0 build.
internal static class Sha256Members
{
    extension(SHA256)
    {
        public static int HashData(byte[] source, Span<byte> destination)
        {
            using SHA256 sha = SHA256.Create();
            byte[] digest = sha.ComputeHash(source);
            digest.CopyTo(destination);
            return digest.Length;
        }
    }
}
