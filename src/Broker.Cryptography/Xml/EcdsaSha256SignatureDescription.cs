using System.Security.Cryptography;

namespace Broker.Cryptography.Xml;

/// <summary>
/// Teaches <see cref="System.Security.Cryptography.Xml.SignedXml"/> the ecdsa-sha256 signature method (RFC 4051),
/// which it does not know by itself; the signature value is the raw r||s form XML-DSig uses.
/// </summary>
public sealed class EcdsaSha256SignatureDescription : SignatureDescription
{
    public EcdsaSha256SignatureDescription()
    {
        KeyAlgorithm = typeof(ECDsa).AssemblyQualifiedName;
        DigestAlgorithm = typeof(SHA256).AssemblyQualifiedName;
    }

    public override HashAlgorithm CreateDigest() => SHA256.Create();

    public override AsymmetricSignatureDeformatter CreateDeformatter(AsymmetricAlgorithm key) =>
        new Deformatter((ECDsa)key);

    public override AsymmetricSignatureFormatter CreateFormatter(AsymmetricAlgorithm key) =>
        new Formatter((ECDsa)key);

    private sealed class Deformatter(ECDsa key) : AsymmetricSignatureDeformatter
    {
        public override void SetKey(AsymmetricAlgorithm key) => throw new NotSupportedException();

        public override void SetHashAlgorithm(string strName)
        {
        }

        public override bool VerifySignature(byte[] rgbHash, byte[] rgbSignature) =>
            key.VerifyHash(rgbHash, rgbSignature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    private sealed class Formatter(ECDsa key) : AsymmetricSignatureFormatter
    {
        public override void SetKey(AsymmetricAlgorithm key) => throw new NotSupportedException();

        public override void SetHashAlgorithm(string strName)
        {
        }

        public override byte[] CreateSignature(byte[] rgbHash) =>
            key.SignHash(rgbHash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }
}
