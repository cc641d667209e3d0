using System.Security.Cryptography.X509Certificates;

namespace Broker.Cryptography.Signing;

/// <summary>
/// A member's signing key. Everything that signs goes through this interface, so a PKCS#11 token can replace the
/// software key without touching callers. Implementations are safe to call concurrently.
/// </summary>
public interface ISigningKey
{
    /// <summary>The signing certificate (public part only).</summary>
    X509Certificate2 Certificate { get; }

    /// <summary>The certificate chain to embed in signatures: the signing certificate first, then its issuers.</summary>
    IReadOnlyList<X509Certificate2> Chain { get; }

    /// <summary>The XML-DSig signature method URI this key signs with.</summary>
    string SignatureMethod { get; }

    /// <summary>Signs <paramref name="data"/> (hashing it with the method's digest); XML-DSig signature value bytes.</summary>
    byte[] Sign(ReadOnlySpan<byte> data);
}
