using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Broker.Cryptography.Xml;

namespace Broker.Cryptography.Signing;

/// <summary>A signing key held in memory, loaded from PEM files (ECDSA P-256 by default, RSA accepted).</summary>
public sealed class SoftwareSigningKey : ISigningKey, IDisposable
{
    private readonly ECDsa? _ecdsa;
    private readonly RSA? _rsa;

    public SoftwareSigningKey(X509Certificate2 certificateWithKey, IReadOnlyList<X509Certificate2> issuers)
    {
        ArgumentNullException.ThrowIfNull(certificateWithKey);
        _ecdsa = certificateWithKey.GetECDsaPrivateKey();
        _rsa = _ecdsa is null ? certificateWithKey.GetRSAPrivateKey() : null;
        if (_ecdsa is null && _rsa is null)
        {
            throw new ArgumentException("The signing certificate has no ECDSA or RSA private key.", nameof(certificateWithKey));
        }

        Certificate = X509CertificateLoader.LoadCertificate(certificateWithKey.RawData);
        Chain = [Certificate, .. issuers];
        SignatureMethod = _ecdsa is not null ? XmlDsig.EcdsaSha256 : XmlDsig.RsaSha256;
    }

    public X509Certificate2 Certificate { get; }

    public IReadOnlyList<X509Certificate2> Chain { get; }

    public string SignatureMethod { get; }

    /// <summary>Loads the certificate chain PEM (signing certificate first) and the PKCS#8 private key PEM.</summary>
    public static SoftwareSigningKey FromPemFiles(string certificateChainPath, string privateKeyPath)
    {
        var chain = new X509Certificate2Collection();
        chain.ImportFromPemFile(certificateChainPath);
        if (chain.Count == 0)
        {
            throw new InvalidOperationException($"No certificate in '{certificateChainPath}'.");
        }

        using var withKey = X509Certificate2.CreateFromPemFile(certificateChainPath, privateKeyPath);
        return new SoftwareSigningKey(withKey, chain.Skip(1).ToArray());
    }

    public byte[] Sign(ReadOnlySpan<byte> data) =>
        _ecdsa is not null
            ? _ecdsa.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
            : _rsa!.SignData(data.ToArray(), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    public void Dispose()
    {
        _ecdsa?.Dispose();
        _rsa?.Dispose();
    }
}
