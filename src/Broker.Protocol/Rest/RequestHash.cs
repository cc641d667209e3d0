using System.Security.Cryptography;

namespace Broker.Protocol.Rest;

/// <summary>
/// The X-Road REST request hash (PR-REST §4.3): base64(SHA512(SHA512(head) || SHA512(body))), or base64(SHA512(head))
/// when the request has no body. The digests are the raw 64-byte values, concatenated.
/// </summary>
public static class RequestHash
{
    public const int DigestLength = SHA512.HashSizeInBytes;

    /// <summary>Combines the SHA-512 digests already computed for the signature, so no byte is hashed twice.</summary>
    public static string FromDigests(ReadOnlySpan<byte> headDigest, ReadOnlySpan<byte> bodyDigest)
    {
        if (bodyDigest.IsEmpty)
        {
            return Convert.ToBase64String(headDigest);
        }

        Span<byte> both = stackalloc byte[DigestLength * 2];
        headDigest.CopyTo(both);
        bodyDigest.CopyTo(both[DigestLength..]);
        Span<byte> result = stackalloc byte[DigestLength];
        SHA512.HashData(both, result);
        return Convert.ToBase64String(result);
    }

    /// <summary>Computes the hash from the serialized head and the body (empty means no body).</summary>
    public static string Compute(ReadOnlySpan<byte> serializedHead, ReadOnlySpan<byte> body)
    {
        Span<byte> head = stackalloc byte[DigestLength];
        SHA512.HashData(serializedHead, head);
        if (body.IsEmpty)
        {
            return FromDigests(head, default);
        }

        Span<byte> bodyDigest = stackalloc byte[DigestLength];
        SHA512.HashData(body, bodyDigest);
        return FromDigests(head, bodyDigest);
    }
}
