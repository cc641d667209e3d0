using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Broker.Router.State.Replay;

/// <summary>
/// A replay entry is keyed by the first 128 bits of SHA-256(client, LF, message id): fixed-size entries whatever
/// length of id a client chooses, and no client-chosen bytes in Redis key names.
/// </summary>
internal static class ReplayKey
{
    private const int StackLimit = 512;

    public static UInt128 Digest(string client, string messageId)
    {
        var length = Encoding.UTF8.GetMaxByteCount(client.Length + messageId.Length + 1);
        byte[]? rented = null;
        var buffer = length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = Encoding.UTF8.GetBytes(client, buffer);
            buffer[written++] = (byte)'\n';
            written += Encoding.UTF8.GetBytes(messageId, buffer[written..]);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer[..written], hash);
            return BinaryPrimitives.ReadUInt128BigEndian(hash);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The digest as 32 lower-case hex digits.</summary>
    public static string Hex(UInt128 digest) => digest.ToString("x32", System.Globalization.CultureInfo.InvariantCulture);
}
