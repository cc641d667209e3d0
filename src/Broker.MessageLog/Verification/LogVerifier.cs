using Broker.MessageLog.Archives;
using Broker.MessageLog.Containers;
using Broker.MessageLog.Evidence;
using Broker.MessageLog.Json;
using Broker.MessageLog.Segments;
using Broker.MessageLog.Trust;

namespace Broker.MessageLog.Verification;

/// <summary>
/// Verifies message-log evidence offline (docs/message-log.md#verifying-broker-audit-verify): a live log directory,
/// one archive, a directory of archives (and the chain across them), or an evidence container. Every record's place
/// in the hash chain, every message record's signature (as of its time-stamp's time), head and body, every
/// time-stamp token, root and per-record proof. The result lists each problem with the record it concerns.
/// </summary>
public sealed partial class LogVerifier
{
    private readonly VerificationOptions _options;

    public LogVerifier(VerificationOptions? options = null)
    {
        _options = options ?? new VerificationOptions();
    }

    /// <summary>Verifies whatever <paramref name="path"/> is: a log directory, a directory of archives, an archive or an evidence container.</summary>
    public VerificationReport Verify(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
        {
            if (LogSegment.List(path).Count > 0)
            {
                return VerifyLog(path);
            }

            if (ArchiveChain.List(path).Count > 0)
            {
                return VerifyArchives(path);
            }

            return Unreadable(path, $"{path} holds neither log segments (*{LogSegment.Extension}) nor archives ({{first}}-{{last}}{ArchiveFormat.Extension}).");
        }

        if (!File.Exists(path))
        {
            return Unreadable(path, $"{path} does not exist.");
        }

        if (path.EndsWith(LogSegment.Extension, StringComparison.Ordinal))
        {
            return VerifySegments(path, [path], Path.GetDirectoryName(Path.GetFullPath(path))!);
        }

        string? format;
        bool hasRecords;
        using (var container = ContainerReader.TryOpen(path, out var error))
        {
            if (container is null)
            {
                return Unreadable(path, $"{path} is not a log segment, an archive or an evidence container: {error}");
            }

            format = FormatOf(container);
            hasRecords = container.Find(ArchiveFormat.Records) is not null;
        }

        return format == EvidenceFormat.FormatId || (format is null && !hasRecords) ? VerifyEvidence(path) : VerifyArchive(path);
    }

    /// <summary>The <c>format</c> of a container's manifest, or null when it cannot be read.</summary>
    private static string? FormatOf(ContainerReader container)
    {
        var manifest = container.ReadBytes(ArchiveFormat.Manifest);
        try
        {
            using var document = manifest is null ? null : System.Text.Json.JsonDocument.Parse(manifest);
            return document?.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && document.RootElement.TryGetProperty("format", out var format) && format.ValueKind == System.Text.Json.JsonValueKind.String
                ? format.GetString()
                : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static VerificationReport Unreadable(string path, string message)
    {
        var report = new ReportBuilder(path, VerificationKind.Unknown);
        report.Unreadable(message);
        return report.Build();
    }

    /// <summary>The explicit trust where given, the input's own otherwise; reports when some is missing.</summary>
    private TrustContext ChooseTrust(ReportBuilder report, Func<TrustAnchors> own, string? part = null)
    {
        var anchors = Merge(own);
        if (part is null)
        {
            report.Trust = Describe(anchors);
        }

        if (anchors.CertificateAuthorities.Count == 0 || anchors.TimestampAuthorities.Count == 0)
        {
            report.Error(
                FindingCodes.TrustMissing,
                $"No approved {(anchors.CertificateAuthorities.Count == 0 ? "CA" : "TSA")} certificates ({anchors.Source}): nothing signed with them can be verified. Give them with --ca and --tsa.",
                part);
        }

        return new TrustContext(anchors);
    }

    private TrustAnchors Merge(Func<TrustAnchors> own)
    {
        var cas = _options.CertificateAuthorities;
        var tsas = _options.TimestampAuthorities;
        if (cas is not null && tsas is not null)
        {
            return new TrustAnchors(cas, tsas, $"CAs {_options.CertificateAuthoritiesSource}; TSAs {_options.TimestampAuthoritiesSource}");
        }

        var input = own();
        var source = cas is null && tsas is null ? input.Source
            : $"CAs {(cas is null ? "from " + input.Source : _options.CertificateAuthoritiesSource)}; TSAs {(tsas is null ? "from " + input.Source : _options.TimestampAuthoritiesSource)}";
        return new TrustAnchors(cas ?? input.CertificateAuthorities, tsas ?? input.TimestampAuthorities, source);
    }

    private static string Describe(TrustAnchors anchors) =>
        $"{anchors.Source} — CAs: {Names(anchors.CertificateAuthorities)}; TSAs: {Names(anchors.TimestampAuthorities)}";

    private static string Names(IReadOnlyList<System.Security.Cryptography.X509Certificates.X509Certificate2> certificates) =>
        certificates.Count == 0 ? "none" : string.Join(", ", certificates.Select(c => $"'{c.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false)}' ({Convert.ToHexStringLower(c.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256))[..16]})"));

    private static T? ReadJson<T>(ContainerReader container, string name, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, ReportBuilder report)
        where T : class
    {
        var value = container.ReadJson(name, type, out var error);
        if (value is null)
        {
            report.Error(FindingCodes.ManifestInvalid, $"{error}.", container.Name);
        }

        return value;
    }

    private static MessageLogJson Json => MessageLogJson.Default;
}
