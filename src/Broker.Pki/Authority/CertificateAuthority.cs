using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Broker.Cryptography.X509;
using Broker.Protocol.Identifiers;

namespace Broker.Pki.Authority;

/// <summary>
/// A certificate authority that issues Broker's certificate profiles (ECDSA P-256 by default): node authentication
/// (TLS client and server), member signing (non-repudiation, member in the subject), configuration signing,
/// time-stamping (RFC 3161 TSA).
/// </summary>
public sealed class CertificateAuthority
{
    private static readonly Oid s_serverAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid s_clientAuth = new("1.3.6.1.5.5.7.3.2");
    private static readonly Oid s_timeStamping = new("1.3.6.1.5.5.7.3.8");
    private readonly TimeProvider _time;

    public CertificateAuthority(X509Certificate2 certificateWithKey, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(certificateWithKey);
        if (!certificateWithKey.HasPrivateKey)
        {
            throw new ArgumentException("The CA certificate needs its private key.", nameof(certificateWithKey));
        }

        Certificate = certificateWithKey;
        _time = time ?? TimeProvider.System;
    }

    public X509Certificate2 Certificate { get; }

    public static CertificateAuthority CreateRoot(string commonName, TimeProvider? time = null, TimeSpan? lifetime = null)
    {
        var now = (time ?? TimeProvider.System).GetUtcNow();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}, O=Broker", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now + (lifetime ?? TimeSpan.FromDays(3650)));
        return new CertificateAuthority(Persist(certificate), time);
    }

    /// <summary>A node's authentication certificate: TLS server and client, with loopback names.</summary>
    public X509Certificate2 IssueTls(string commonName, ClientId? owner, IEnumerable<string> names, TimeSpan? lifetime = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = owner is null ? new X500DistinguishedName($"CN={commonName}, O=Broker") : MemberCertificates.SubjectFor(owner, commonName, "Broker");
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([s_serverAuth, s_clientAuth], false));
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            if (IPAddress.TryParse(name, out var ip))
            {
                san.AddIpAddress(ip);
            }
            else
            {
                san.AddDnsName(name);
            }
        }

        request.CertificateExtensions.Add(san.Build());
        return Issue(request, key, lifetime);
    }

    /// <summary>A member's signing certificate: non-repudiation, the member identifier in the subject's serialNumber.</summary>
    public X509Certificate2 IssueSigning(ClientId member, string commonName, TimeSpan? lifetime = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(MemberCertificates.SubjectFor(member, commonName, "Broker"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.NonRepudiation | X509KeyUsageFlags.DigitalSignature, true));
        return Issue(request, key, lifetime);
    }

    /// <summary>The central server's global-configuration signing certificate (names no member, so it cannot sign messages).</summary>
    public X509Certificate2 IssueConfigurationSigning(string commonName, TimeSpan? lifetime = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}, O=Broker", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.NonRepudiation | X509KeyUsageFlags.DigitalSignature, true));
        return Issue(request, key, lifetime);
    }

    /// <summary>
    /// A time-stamping authority's certificate (RFC 3161 section 2.3): digitalSignature and nonRepudiation, and exactly
    /// one extended key usage, id-kp-timeStamping, marked critical (OpenSSL and BouncyCastle insist on both). It names no
    /// member, so it cannot sign messages.
    /// </summary>
    public X509Certificate2 IssueTimestamping(string commonName, TimeSpan? lifetime = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}, O=Broker", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([s_timeStamping], true));
        return Issue(request, key, lifetime);
    }

    private X509Certificate2 Issue(CertificateRequest request, ECDsa key, TimeSpan? lifetime)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        var now = _time.GetUtcNow();
        var notAfter = now + (lifetime ?? TimeSpan.FromDays(730));
        if (notAfter > Certificate.NotAfter)
        {
            notAfter = Certificate.NotAfter;
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var issued = request.Create(Certificate, now.AddMinutes(-5), notAfter, serial);
        return Persist(issued.CopyWithPrivateKey(key));
    }

    // a PKCS#12 round trip gives a key that SslStream can use on every platform
    private static X509Certificate2 Persist(X509Certificate2 certificate)
    {
        using (certificate)
        {
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        }
    }
}
