using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Broker.Cryptography.Timestamping;
using Broker.Cryptography.X509;

namespace Broker.MessageLog.Trust;

/// <summary>
/// The certificates a log is verified against: the approved CAs (signing certificates must chain to one of them at
/// signing time) and the approved TSAs (time-stamp tokens must be signed by one of them). Stored as
/// <c>ca-{sha256}.pem</c> and <c>tsa-{sha256}.pem</c>: in a log's <c>trust/</c> folder, in an archive's or evidence
/// container's <c>certificates/</c> folder. <see cref="Source"/> says where they came from, for the report.
/// </summary>
public sealed class TrustAnchors
{
    /// <summary>The folder beside a log's segments that holds its approved CAs and TSAs (the security server keeps it).</summary>
    public const string FolderName = "trust";

    public const string CaPrefix = "ca-";
    public const string TsaPrefix = "tsa-";
    public const string Extension = ".pem";

    public TrustAnchors(IReadOnlyList<X509Certificate2> certificateAuthorities, IReadOnlyList<X509Certificate2> timestampAuthorities, string source)
    {
        CertificateAuthorities = certificateAuthorities;
        TimestampAuthorities = timestampAuthorities;
        Source = source;
    }

    public IReadOnlyList<X509Certificate2> CertificateAuthorities { get; }

    public IReadOnlyList<X509Certificate2> TimestampAuthorities { get; }

    /// <summary>Where the certificates came from (a folder, an archive, explicit files).</summary>
    public string Source { get; }

    public bool IsEmpty => CertificateAuthorities.Count == 0 && TimestampAuthorities.Count == 0;

    /// <summary>The file name a certificate is stored under: <c>{prefix}{sha256 of the DER, lowercase hex}.pem</c>.</summary>
    public static string FileName(string prefix, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return prefix + CertificateValidator.Hex(certificate) + Extension;
    }

    /// <summary>
    /// The certificates that carry the timeStamping usage: a TSA's PEM file often holds its issuer's chain too, and an
    /// issuer is no TSA.
    /// </summary>
    public static IReadOnlyList<X509Certificate2> TimestampAuthoritiesOf(IEnumerable<X509Certificate2> certificates)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        return [.. certificates.Where(TimestampTokens.HasOnlyTimeStampingUsage)];
    }

    /// <summary>Reads <c>ca-*.pem</c> and <c>tsa-*.pem</c> of a folder (a missing folder gives no certificates).</summary>
    public static TrustAnchors FromDirectory(string directory, string source)
    {
        if (!Directory.Exists(directory))
        {
            return new TrustAnchors([], [], source);
        }

        return new TrustAnchors(
            LoadAll(Directory.GetFiles(directory, CaPrefix + "*" + Extension)),
            LoadAll(Directory.GetFiles(directory, TsaPrefix + "*" + Extension)),
            source);
    }

    /// <summary>Every certificate of the given PEM files (each may hold several).</summary>
    public static IReadOnlyList<X509Certificate2> LoadAll(IEnumerable<string> pemFiles)
    {
        ArgumentNullException.ThrowIfNull(pemFiles);
        var certificates = new List<X509Certificate2>();
        foreach (var file in pemFiles.Order(StringComparer.Ordinal))
        {
            certificates.AddRange(ParsePem(File.ReadAllText(file)));
        }

        return Distinct(certificates);
    }

    /// <summary>Every certificate of a PEM text.</summary>
    public static IReadOnlyList<X509Certificate2> ParsePem(string pem)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPem(pem);
        return [.. collection];
    }

    /// <summary>Writes the certificates into a folder under their <see cref="FileName"/>s (existing files are kept).</summary>
    public void WriteDirectory(string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var (prefix, certificate) in Files())
        {
            var path = Path.Combine(directory, FileName(prefix, certificate));
            if (!File.Exists(path))
            {
                var temporary = path + ".tmp";
                File.WriteAllBytes(temporary, Pem(certificate));
                File.Move(temporary, path, overwrite: true);
            }
        }
    }

    /// <summary>How a certificate is stored: its PEM, ASCII, with a final newline.</summary>
    public static byte[] Pem(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return System.Text.Encoding.ASCII.GetBytes(certificate.ExportCertificatePem() + "\n");
    }

    /// <summary>The certificates with the prefix each is stored under.</summary>
    public IEnumerable<(string Prefix, X509Certificate2 Certificate)> Files()
    {
        foreach (var ca in CertificateAuthorities)
        {
            yield return (CaPrefix, ca);
        }

        foreach (var tsa in TimestampAuthorities)
        {
            yield return (TsaPrefix, tsa);
        }
    }

    private static List<X509Certificate2> Distinct(List<X509Certificate2> certificates)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return certificates.FindAll(c => seen.Add(c.GetCertHashString(HashAlgorithmName.SHA256)));
    }
}
