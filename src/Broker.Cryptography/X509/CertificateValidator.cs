using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Broker.Cryptography.X509;

/// <summary>
/// Builds certificate chains only against the given roots (the global configuration's approved CAs), never the
/// OS store, and caches the verdict per certificate and purpose: chain building happens once per certificate, not
/// per message. One instance belongs to one set of roots; a new global configuration gets a new validator.
/// </summary>
public sealed class CertificateValidator
{
    private const int MaxCacheEntries = 10_000;
    private static readonly Oid s_clientAuth = new("1.3.6.1.5.5.7.3.2");
    private static readonly Oid s_serverAuth = new("1.3.6.1.5.5.7.3.1");

    private readonly X509Certificate2Collection _roots;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(string, CertificatePurpose), string?> _verdicts = new();

    public CertificateValidator(IEnumerable<X509Certificate2> roots, TimeProvider time)
    {
        _roots = new X509Certificate2Collection(roots.ToArray());
        _time = time;
    }

    public X509Certificate2Collection Roots => _roots;

    /// <summary>Null when <paramref name="certificate"/> is valid now for <paramref name="purpose"/>; otherwise why not.</summary>
    public string? Validate(X509Certificate2 certificate, CertificatePurpose purpose, IEnumerable<X509Certificate2>? intermediates = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var now = _time.GetUtcNow();
        if (now < certificate.NotBefore.ToUniversalTime() || now > certificate.NotAfter.ToUniversalTime())
        {
            return $"certificate {Hex(certificate)} is not valid at {now:O} (valid {certificate.NotBefore.ToUniversalTime():O} to {certificate.NotAfter.ToUniversalTime():O})";
        }

        var key = (Hex(certificate), purpose);
        if (_verdicts.TryGetValue(key, out var verdict))
        {
            return verdict;
        }

        verdict = Build(certificate, purpose, intermediates, now);
        if (_verdicts.Count >= MaxCacheEntries)
        {
            _verdicts.Clear();
        }

        _verdicts[key] = verdict;
        return verdict;
    }

    /// <summary>The SHA-256 of the DER certificate, lowercase hex: how the global configuration names certificates.</summary>
    public static string Hex(X509Certificate2 certificate) =>
        Convert.ToHexStringLower(certificate.GetCertHash(HashAlgorithmName.SHA256));

    private string? Build(X509Certificate2 certificate, CertificatePurpose purpose, IEnumerable<X509Certificate2>? intermediates, DateTimeOffset now)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // revocation is checked with OCSP, cached, not per message
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        if (intermediates is not null)
        {
            foreach (var intermediate in intermediates)
            {
                chain.ChainPolicy.ExtraStore.Add(intermediate);
            }
        }

        if (purpose != CertificatePurpose.Signing)
        {
            chain.ChainPolicy.ApplicationPolicy.Add(purpose == CertificatePurpose.TlsClient ? s_clientAuth : s_serverAuth);
        }

        if (!chain.Build(certificate))
        {
            return $"certificate {Hex(certificate)} does not chain to an approved CA: "
                + string.Join(", ", chain.ChainStatus.Select(s => s.Status));
        }

        var root = chain.ChainElements[^1].Certificate;
        if (!_roots.Cast<X509Certificate2>().Any(r => r.RawData.AsSpan().SequenceEqual(root.RawData)))
        {
            return $"certificate {Hex(certificate)} chains to a root that is not approved";
        }

        var basic = certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        if (basic is { CertificateAuthority: true })
        {
            return $"certificate {Hex(certificate)} is a CA certificate";
        }

        if (purpose == CertificatePurpose.Signing)
        {
            var usage = certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
            if (usage is null || (usage.KeyUsages & X509KeyUsageFlags.NonRepudiation) == 0)
            {
                return $"certificate {Hex(certificate)} is not a signing certificate (no non-repudiation key usage)";
            }

            if (MemberCertificates.GetMember(certificate) is null)
            {
                return $"certificate {Hex(certificate)} names no member";
            }
        }

        return null;
    }
}
