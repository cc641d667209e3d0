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

    /// <summary>
    /// The explicit trust where given, the input's own otherwise (the report then says the trust was taken from the
    /// input); reports when some is missing. <paramref name="part"/> names the archive when each has its own trust.
    /// </summary>
    private TrustContext ChooseTrust(ReportBuilder report, Func<TrustAnchors> own, string? part = null)
    {
        var cas = _options.CertificateAuthorities;
        var tsas = _options.TimestampAuthorities;
        var input = cas is null || tsas is null ? own() : null;
        var source = DescribeTrust(input?.Source ?? "");
        var anchors = new TrustAnchors(cas ?? input!.CertificateAuthorities, TrustAnchors.TimestampAuthoritiesOf(tsas ?? input!.TimestampAuthorities), source);
        if (part is null)
        {
            report.TrustSource = source;
        }

        report.Trusted(anchors, casFromInput: cas is null, tsasFromInput: tsas is null);
        if (anchors.CertificateAuthorities.Count == 0 || anchors.TimestampAuthorities.Count == 0)
        {
            report.Error(
                FindingCodes.TrustMissing,
                $"No approved {(anchors.CertificateAuthorities.Count == 0 ? "CA" : "TSA")} certificates ({source}): nothing signed with them can be verified. Give them with --ca and --tsa.",
                part);
        }

        return new TrustContext(anchors);
    }

    /// <summary>Where the trust comes from: the explicit files, or <paramref name="inputSource"/> (said to be the input's own).</summary>
    private string DescribeTrust(string inputSource)
    {
        var cas = _options.CertificateAuthorities is null ? null : _options.CertificateAuthoritiesSource;
        var tsas = _options.TimestampAuthorities is null ? null : _options.TimestampAuthoritiesSource;
        var input = $"{inputSource}, taken from the input itself";
        return cas is null && tsas is null ? input : $"CAs {cas ?? "from " + input}; TSAs {tsas ?? "from " + input}";
    }

    /// <summary>A checker whose "now" (for records no time-stamp proves a signing time of) is this verification's start.</summary>
    private MessageChecker NewChecker(ReportBuilder report) => new(report, _options.BodyKeys, _options.Time.GetUtcNow());

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
