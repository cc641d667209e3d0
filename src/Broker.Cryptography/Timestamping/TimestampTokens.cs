using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace Broker.Cryptography.Timestamping;

/// <summary>
/// Verifies RFC 3161 time-stamp tokens over a SHA-256 digest. A token is accepted only when its signer certificate is
/// byte-identical to one of the approved TSA certificates (from the global configuration), so no chain is built: the
/// configuration is the trust decision. Used by security servers and by the offline auditor.
/// </summary>
public static class TimestampTokens
{
    /// <summary>id-sha256, the only imprint algorithm Broker requests and accepts.</summary>
    public const string Sha256Oid = "2.16.840.1.101.3.4.2.1";

    /// <summary>id-kp-timeStamping (RFC 3161 section 2.3).</summary>
    public const string TimeStampingOid = "1.3.6.1.5.5.7.3.8";

    private const string ExtendedKeyUsageOid = "2.5.29.37";

    /// <summary>
    /// Checks that <paramref name="tokenDer"/> is a time-stamp token over exactly <paramref name="sha256Digest"/>,
    /// signed by one of <paramref name="trustedTsaCertificates"/>, with a signature that verifies, by a certificate
    /// that carries the timeStamping extended key usage and was valid at the token's time.
    /// </summary>
    /// <param name="genTime">The token's time (its <c>genTime</c>) when the token is valid.</param>
    /// <param name="error">What is wrong when it is not; null when it is valid.</param>
    public static bool TryVerify(
        ReadOnlySpan<byte> tokenDer,
        ReadOnlySpan<byte> sha256Digest,
        IReadOnlyCollection<X509Certificate2> trustedTsaCertificates,
        out DateTimeOffset genTime,
        out string? error)
    {
        genTime = default;
        if (!TryDecode(tokenDer.ToArray(), out var token, out error))
        {
            return false;
        }

        return TryVerify(token, sha256Digest, trustedTsaCertificates, out genTime, out error);
    }

    internal static bool TryDecode(ReadOnlyMemory<byte> tokenDer, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Rfc3161TimestampToken? token, out string? error)
    {
        token = null;
        try
        {
            if (!Rfc3161TimestampToken.TryDecode(tokenDer, out token, out var consumed))
            {
                error = "the token is not an RFC 3161 time-stamp token";
                return false;
            }

            if (consumed != tokenDer.Length)
            {
                token = null;
                error = $"the token is followed by {tokenDer.Length - consumed} stray bytes";
                return false;
            }
        }
        catch (CryptographicException)
        {
            token = null;
            error = "the token is not an RFC 3161 time-stamp token";
            return false;
        }

        error = null;
        return true;
    }

    internal static bool TryVerify(
        Rfc3161TimestampToken token,
        ReadOnlySpan<byte> sha256Digest,
        IReadOnlyCollection<X509Certificate2> trustedTsaCertificates,
        out DateTimeOffset genTime,
        out string? error)
    {
        ArgumentNullException.ThrowIfNull(trustedTsaCertificates);
        if (sha256Digest.Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException($"A SHA-256 digest is {SHA256.HashSizeInBytes} bytes, not {sha256Digest.Length}.", nameof(sha256Digest));
        }

        genTime = default;
        var info = token.TokenInfo;
        if (info.HashAlgorithmId.Value != Sha256Oid)
        {
            error = $"the token's message imprint is not SHA-256 (algorithm {info.HashAlgorithmId.Value})";
            return false;
        }

        if (!info.GetMessageHash().Span.SequenceEqual(sha256Digest))
        {
            error = "the token's message imprint does not match";
            return false;
        }

        var signers = token.AsSignedCms().SignerInfos;
        if (signers.Count != 1)
        {
            error = $"the token has {signers.Count} signers, not one";
            return false;
        }

        var approved = FindApproved(signers[0], trustedTsaCertificates);
        if (approved is null)
        {
            error = "the token is not signed by an approved TSA";
            return false;
        }

        // the signature over the signed attributes, the messageDigest of the TSTInfo and the ESSCertID(v2) binding
        if (!token.VerifySignatureForHash(sha256Digest, HashAlgorithmName.SHA256, out var signer, [approved])
            || signer is null
            || !signer.RawDataMemory.Span.SequenceEqual(approved.RawDataMemory.Span))
        {
            error = "the token's signature does not verify with the approved TSA's certificate";
            return false;
        }

        if (!HasOnlyTimeStampingUsage(approved))
        {
            error = "the TSA certificate does not have the timeStamping extended key usage as its only, critical, usage";
            return false;
        }

        var time = info.Timestamp;
        if (time.UtcDateTime < approved.NotBefore.ToUniversalTime() || time.UtcDateTime > approved.NotAfter.ToUniversalTime())
        {
            error = $"the TSA certificate was not valid at the token's time {time:O}";
            return false;
        }

        genTime = time;
        error = null;
        return true;
    }

    // the embedded signer certificate must be an approved one byte for byte; without one, an approved certificate
    // must match the signer identifier
    private static X509Certificate2? FindApproved(SignerInfo signerInfo, IReadOnlyCollection<X509Certificate2> trusted)
    {
        var embedded = signerInfo.Certificate;
        foreach (var candidate in trusted)
        {
            if (embedded is not null
                ? embedded.RawDataMemory.Span.SequenceEqual(candidate.RawDataMemory.Span)
                : signerInfo.SignerIdentifier.MatchesCertificate(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool HasOnlyTimeStampingUsage(X509Certificate2 certificate)
    {
        foreach (var extension in certificate.Extensions)
        {
            if (extension.Oid?.Value == ExtendedKeyUsageOid)
            {
                var usages = new X509EnhancedKeyUsageExtension(extension, extension.Critical).EnhancedKeyUsages;
                return extension.Critical && usages.Count == 1 && usages[0].Value == TimeStampingOid;
            }
        }

        return false;
    }
}
