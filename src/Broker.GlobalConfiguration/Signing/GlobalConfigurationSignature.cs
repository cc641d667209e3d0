using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace Broker.GlobalConfiguration.Signing;

/// <summary>
/// The global configuration's signature: detached CMS (PKCS#7) over the exact JSON bytes, so that
/// <c>openssl cms -verify -binary -inform DER -in conf.json.p7s -content conf.json -CAfile root-ca.pem</c> accepts it.
/// </summary>
public static class GlobalConfigurationSignature
{
    public static byte[] Sign(ReadOnlySpan<byte> content, X509Certificate2 signerWithKey, DateTimeOffset signingTime)
    {
        var cms = new SignedCms(new ContentInfo(content.ToArray()), detached: true);
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, signerWithKey)
        {
            DigestAlgorithm = new Oid("2.16.840.1.101.3.4.2.1"), // SHA-256
            IncludeOption = X509IncludeOption.EndCertOnly,
        };
        signer.SignedAttributes.Add(new Pkcs9SigningTime(signingTime.UtcDateTime));
        cms.ComputeSignature(signer);
        return cms.Encode();
    }

    /// <summary>Null when <paramref name="signature"/> is a valid signature over <paramref name="content"/> by one of the trusted certificates.</summary>
    public static string? Verify(byte[] content, byte[] signature, IReadOnlyCollection<X509Certificate2> trustedSigners)
    {
        ArgumentNullException.ThrowIfNull(trustedSigners);
        var cms = new SignedCms(new ContentInfo(content), detached: true);
        try
        {
            cms.Decode(signature);
            if (cms.SignerInfos.Count != 1)
            {
                return "the configuration must carry exactly one signature";
            }

            var signerInfo = cms.SignerInfos[0];
            var certificate = signerInfo.Certificate;
            if (certificate is null || !trustedSigners.Any(t => t.RawData.AsSpan().SequenceEqual(certificate.RawData)))
            {
                return "the configuration is not signed by a certificate of the configuration anchor";
            }

            signerInfo.CheckSignature(verifySignatureOnly: true);
            return null;
        }
        catch (CryptographicException e)
        {
            return "the configuration signature does not verify: " + e.Message;
        }
    }
}
