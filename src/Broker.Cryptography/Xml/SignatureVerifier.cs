using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Broker.Cryptography.X509;
using Broker.Protocol.Identifiers;

namespace Broker.Cryptography.Xml;

/// <summary>
/// The per-message verifier of Broker's fixed-profile signature documents: parses strictly, rebuilds the canonical
/// manifest and SignedInfo, checks the reference digest and the signature value, and checks that the signer's
/// certificate chains to an approved CA (cached) and is issued to the member the message names.
/// </summary>
public sealed class SignatureVerifier
{
    private const int MaxCachedSigners = 10_000;
    private readonly CertificateValidator _validator;
    private readonly ConcurrentDictionary<string, Signer> _signers = new(StringComparer.Ordinal);

    public SignatureVerifier(CertificateValidator validator)
    {
        _validator = validator;
    }

    public SignatureCheck Verify(ReadOnlyMemory<byte> signatureDocument, ClientId expectedMember)
    {
        ArgumentNullException.ThrowIfNull(expectedMember);
        if (!SignatureDocument.TryParse(signatureDocument, out var document, out var error))
        {
            return SignatureCheck.Fail(SignatureFailure.Malformed, error);
        }

        var signer = GetSigner(document.Certificates[0]);
        if (signer is null)
        {
            return SignatureCheck.Fail(SignatureFailure.Certificate, "the signer's certificate cannot be read");
        }

        // the cheap checks first: who signed, then whether the bytes verify, then the (cached) chain
        if (signer.Member is null || !signer.Member.IsSameMember(expectedMember))
        {
            return SignatureCheck.Fail(SignatureFailure.Certificate, $"the signing certificate is issued to {signer.Member?.ToString() ?? "no member"}, not to {expectedMember.Member}");
        }

        var batchDigest = SignatureDocument.TryBase64(document.DigestValue);
        Span<byte> actual = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(document.CanonicalBatch(), actual);
        if (batchDigest is null || !CryptographicOperations.FixedTimeEquals(actual, batchDigest))
        {
            return SignatureCheck.Fail(SignatureFailure.Signature, "the batch object does not match its reference digest");
        }

        if (!document.ManifestIsInBatch(document.CanonicalManifest()))
        {
            return SignatureCheck.Fail(SignatureFailure.Signature, "the manifest is not part of the signed batch (its path does not lead to the signed root)");
        }

        if (!signer.VerifySignature(document.SignatureMethod, document.CanonicalSignedInfo(), document.SignatureValueText, document.SignatureValue))
        {
            return SignatureCheck.Fail(SignatureFailure.Signature, "the signature value does not verify");
        }

        var chainError = _validator.Validate(signer.Certificate, CertificatePurpose.Signing, Intermediates(document));
        if (chainError is not null)
        {
            return SignatureCheck.Fail(SignatureFailure.Certificate, chainError);
        }

        return new SignatureCheck(SignatureFailure.None, null, document, signer.Certificate, signer.Member);
    }

    // deferred: the embedded issuers are parsed only when the validator has no cached verdict for the signer,
    // not on every message
    private static IEnumerable<X509Certificate2> Intermediates(SignatureDocument document)
    {
        foreach (var base64 in document.Certificates.Skip(1))
        {
            X509Certificate2? certificate = null;
            var raw = SignatureDocument.TryBase64(base64);
            if (raw is not null)
            {
                try
                {
                    certificate = X509CertificateLoader.LoadCertificate(raw);
                }
                catch (CryptographicException)
                {
                    // an unreadable extra certificate simply does not help the chain
                }
            }

            if (certificate is not null)
            {
                yield return certificate;
            }
        }
    }

    private Signer? GetSigner(string base64)
    {
        if (_signers.TryGetValue(base64, out var cached))
        {
            return cached;
        }

        var raw = SignatureDocument.TryBase64(base64);
        if (raw is null)
        {
            return null;
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(raw);
        }
        catch (CryptographicException)
        {
            return null;
        }

        var signer = new Signer(certificate, certificate.GetECDsaPublicKey(), certificate.GetRSAPublicKey(), MemberCertificates.GetMember(certificate));
        if (_signers.Count >= MaxCachedSigners)
        {
            _signers.Clear();
        }

        _signers[base64] = signer;
        return signer;
    }

    private sealed record Signer(X509Certificate2 Certificate, ECDsa? Ecdsa, RSA? Rsa, ClientId? Member)
    {
        private const int MaxRemembered = 4096;

        // signature values this signer's key was recently checked against, with the SignedInfo they verified: the
        // messages of one signed batch share both, so the batch costs one public-key operation per verifier
        private readonly ConcurrentDictionary<string, Remembered> _verified = new(StringComparer.Ordinal);

        public bool VerifySignature(string method, byte[] signedInfo, string signatureText, byte[] signature)
        {
            var entry = _verified.GetOrAdd(signatureText, static (_, state) => new Remembered(state.signedInfo, new Lazy<bool>(
                () => state.self.VerifyNow(state.method, state.signedInfo, state.signature))), (self: this, method, signedInfo, signature));
            if (!entry.SignedInfo.AsSpan().SequenceEqual(signedInfo))
            {
                return VerifyNow(method, signedInfo, signature); // the same value over other bytes: checked, never remembered
            }

            var valid = entry.Valid.Value;
            if (!valid)
            {
                _verified.TryRemove(KeyValuePair.Create(signatureText, entry));
            }
            else if (_verified.Count > MaxRemembered)
            {
                _verified.Clear();
            }

            return valid;
        }

        private bool VerifyNow(string method, byte[] signedInfo, byte[] signature) => method switch
        {
            XmlDsig.EcdsaSha256 when Ecdsa is not null =>
                Ecdsa.VerifyData(signedInfo, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
            XmlDsig.RsaSha256 when Rsa is not null =>
                Rsa.VerifyData(signedInfo, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => false,
        };

        private sealed record Remembered(byte[] SignedInfo, Lazy<bool> Valid);
    }
}
