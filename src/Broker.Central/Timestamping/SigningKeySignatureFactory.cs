using System.Formats.Asn1;
using Broker.Cryptography.Signing;
using Broker.Cryptography.Xml;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;

namespace Broker.Central.Timestamping;

/// <summary>
/// BouncyCastle's signer interface over an <see cref="ISigningKey"/>, so the TSA's private key stays behind the
/// signing-key interface (software today, PKCS#11 later) instead of being exported into BouncyCastle.
/// ECDSA P-256 with SHA-256: the key's IEEE P1363 signature is re-encoded as the DER <c>ECDSA-Sig-Value</c> CMS wants.
/// </summary>
internal sealed class SigningKeySignatureFactory : ISignatureFactory
{
    private readonly ISigningKey _key;
    private readonly AlgorithmIdentifier _algorithm = new(X9ObjectIdentifiers.ECDsaWithSha256);

    public SigningKeySignatureFactory(ISigningKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.SignatureMethod != XmlDsig.EcdsaSha256)
        {
            throw new ArgumentException($"The TSA signs with ECDSA SHA-256; this key signs with {key.SignatureMethod}.", nameof(key));
        }

        _key = key;
    }

    public object AlgorithmDetails => _algorithm;

    public IStreamCalculator CreateCalculator() => new Calculator(_key);

    private static byte[] ToDer(byte[] p1363)
    {
        var half = p1363.Length / 2;
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteIntegerUnsigned(TrimLeadingZeros(p1363.AsSpan(0, half)));
            writer.WriteIntegerUnsigned(TrimLeadingZeros(p1363.AsSpan(half)));
        }

        return writer.Encode();
    }

    private static ReadOnlySpan<byte> TrimLeadingZeros(ReadOnlySpan<byte> value)
    {
        while (value.Length > 1 && value[0] == 0)
        {
            value = value[1..];
        }

        return value;
    }

    // BouncyCastle writes the signed attributes to Stream, closes it, then asks for the result
    private sealed class Calculator(ISigningKey key) : IStreamCalculator
    {
        private readonly MemoryStream _data = new();

        public Stream Stream => _data;

        public object GetResult() => new Signature(ToDer(key.Sign(_data.ToArray())));
    }

    private sealed class Signature(byte[] value) : IBlockResult
    {
        public byte[] Collect() => (byte[])value.Clone();

        public int Collect(byte[] destination, int offset)
        {
            value.CopyTo(destination, offset);
            return value.Length;
        }
    }
}
