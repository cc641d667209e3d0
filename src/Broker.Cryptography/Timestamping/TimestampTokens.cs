using System.Diagnostics.CodeAnalysis;
using System.Formats.Asn1;
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
    private const string TstInfoContentType = "1.2.840.113549.1.9.16.1.4";
    private const string NotAToken = "the token is not an RFC 3161 time-stamp token";

    /// <summary>
    /// Checks that <paramref name="tokenDer"/> is a time-stamp token over exactly <paramref name="sha256Digest"/>,
    /// signed by one of <paramref name="trustedTsaCertificates"/>, by a certificate that carries the timeStamping
    /// extended key usage (only, critical) and was valid at the token's time, with a signature that verifies.
    /// </summary>
    /// <param name="genTime">The token's time (its <c>genTime</c>) when the token is valid.</param>
    /// <param name="error">What is wrong when it is not; null when it is valid.</param>
    public static bool TryVerify(
        ReadOnlySpan<byte> tokenDer,
        ReadOnlySpan<byte> sha256Digest,
        IReadOnlyCollection<X509Certificate2> trustedTsaCertificates,
        out DateTimeOffset genTime,
        out string? error) =>
        TryVerify(tokenDer.ToArray(), sha256Digest, trustedTsaCertificates, out _, out genTime, out error);

    /// <summary>As the public overload; also gives the token's TSTInfo (its nonce, for the client).</summary>
    internal static bool TryVerify(
        ReadOnlyMemory<byte> tokenDer,
        ReadOnlySpan<byte> sha256Digest,
        IReadOnlyCollection<X509Certificate2> trustedTsaCertificates,
        [NotNullWhen(true)] out Rfc3161TimestampTokenInfo? info,
        out DateTimeOffset genTime,
        out string? error)
    {
        ArgumentNullException.ThrowIfNull(trustedTsaCertificates);
        if (sha256Digest.Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException($"A SHA-256 digest is {SHA256.HashSizeInBytes} bytes, not {sha256Digest.Length}.", nameof(sha256Digest));
        }

        genTime = default;
        info = null;
        if (!TryDecode(tokenDer, out var cms, out info, out error))
        {
            return false;
        }

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

        if (cms.SignerInfos.Count != 1)
        {
            error = $"the token has {cms.SignerInfos.Count} signers, not one";
            return false;
        }

        var approved = FindApproved(cms.SignerInfos[0], trustedTsaCertificates);
        if (approved is null)
        {
            error = "the token is not signed by an approved TSA";
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

        // the signature over the signed attributes, their messageDigest of the TSTInfo, the ESSCertID(v2) binding
        // (.NET checks these while decoding when the certificate is in the token, and again here)
        if (!Rfc3161TimestampToken.TryDecode(tokenDer, out var token, out _)
            || !token.VerifySignatureForHash(sha256Digest, HashAlgorithmName.SHA256, out var signer, [approved])
            || signer is null
            || !signer.RawDataMemory.Span.SequenceEqual(approved.RawDataMemory.Span))
        {
            error = "the token's signature does not verify with the approved TSA's certificate";
            return false;
        }

        genTime = time;
        error = null;
        return true;
    }

    // structure only: one DER value, CMS SignedData around a TSTInfo; no signature check yet
    private static bool TryDecode(
        ReadOnlyMemory<byte> der,
        [NotNullWhen(true)] out SignedCms? cms,
        [NotNullWhen(true)] out Rfc3161TimestampTokenInfo? info,
        out string? error)
    {
        cms = null;
        info = null;
        try
        {
            var length = new AsnReader(der, AsnEncodingRules.BER).ReadEncodedValue().Length;
            if (length != der.Length)
            {
                error = $"the token is followed by {der.Length - length} stray bytes";
                return false;
            }

            var signed = new SignedCms();
            signed.Decode(der.Span);
            if (signed.ContentInfo.ContentType.Value != TstInfoContentType
                || !Rfc3161TimestampTokenInfo.TryDecode(signed.ContentInfo.Content, out var decoded, out var consumed)
                || consumed != signed.ContentInfo.Content.Length)
            {
                error = NotAToken;
                return false;
            }

            cms = signed;
            info = decoded;
            error = null;
            return true;
        }
        catch (Exception e) when (e is CryptographicException or AsnContentException)
        {
            error = NotAToken;
            return false;
        }
    }

    // the certificate in the token must be an approved one byte for byte; without one, an approved certificate must
    // match the signer identifier
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

    /// <summary>True when the certificate's only extended key usage is timeStamping, marked critical (RFC 3161 §2.3): what a TSA certificate must have.</summary>
    public static bool HasOnlyTimeStampingUsage(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
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
