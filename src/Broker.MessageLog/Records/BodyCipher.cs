using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Broker.MessageLog.Records;

/// <summary>
/// Encryption of stored bodies at rest: AES-256-GCM with a key from the operator's key file, a random nonce per body,
/// and the record's sequence number as associated data (a body cannot be moved to another record). Stored as
/// <c>keyId:8 nonce:12 tag:16 ciphertext</c>; the key id is the first 8 bytes of SHA-256 of the key, so an auditor
/// with several keys picks the right one. The record hash covers the ciphertext, so the chain verifies without the key.
/// </summary>
public sealed class BodyCipher : IDisposable
{
    public const int KeyIdLength = 8;
    public const int Overhead = KeyIdLength + NonceLength + TagLength;
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private readonly AesGcm _aes;

    public BodyCipher(ReadOnlySpan<byte> key)
    {
        if (key.Length != 32)
        {
            throw new ArgumentException("The message-log body key must be 32 bytes (AES-256).", nameof(key));
        }

        _aes = new AesGcm(key, TagLength);
        KeyId = SHA256.HashData(key)[..KeyIdLength];
    }

    public byte[] KeyId { get; }

    /// <summary>Reads a key file: 32 raw bytes, or 64 hex characters, or base64 of 32 bytes.</summary>
    public static BodyCipher FromFile(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length != 32)
        {
            var text = System.Text.Encoding.ASCII.GetString(bytes).Trim();
            bytes = text.Length == 64 ? Convert.FromHexString(text) : Convert.FromBase64String(text);
        }

        return new BodyCipher(bytes);
    }

    public static int GetStoredLength(int bodyLength) => Overhead + bodyLength;

    public void Encrypt(long seq, ReadOnlySpan<byte> body, Span<byte> destination)
    {
        KeyId.CopyTo(destination);
        var nonce = destination.Slice(KeyIdLength, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        Span<byte> associated = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(associated, seq);
        _aes.Encrypt(nonce, body, destination.Slice(Overhead, body.Length), destination.Slice(KeyIdLength + NonceLength, TagLength), associated);
    }

    /// <summary>True when <paramref name="stored"/> was encrypted with this key.</summary>
    public bool Owns(ReadOnlySpan<byte> stored) => stored.Length >= Overhead && stored[..KeyIdLength].SequenceEqual(KeyId);

    /// <summary>Decrypts a stored body; false when the key differs or the ciphertext, tag or record position was changed.</summary>
    public bool TryDecrypt(long seq, ReadOnlySpan<byte> stored, out byte[] body)
    {
        body = [];
        if (!Owns(stored))
        {
            return false;
        }

        var plain = new byte[stored.Length - Overhead];
        Span<byte> associated = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(associated, seq);
        try
        {
            _aes.Decrypt(stored.Slice(KeyIdLength, NonceLength), stored[Overhead..], stored.Slice(KeyIdLength + NonceLength, TagLength), plain, associated);
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }

        body = plain;
        return true;
    }

    public void Dispose() => _aes.Dispose();
}
