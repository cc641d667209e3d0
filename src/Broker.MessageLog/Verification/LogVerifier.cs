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

        using var container = ContainerReader.TryOpen(path, out var error);
        if (container is null)
        {
            return Unreadable(path, $"{path} is not a log segment, an archive or an evidence container: {error}");
        }

        if (container.Find(EvidenceFormat.Manifest) is not null && container.Find(ArchiveFormat.Records) is null)
        {
            return VerifyEvidence(path);
        }

        return VerifyArchive(path);
    }

    private static VerificationReport Unreadable(string path, string message)
    {
        var report = new ReportBuilder(path, VerificationKind.Unknown);
        report.Unreadable(message);
        return report.Build();
    }

    /// <summary>The explicit trust, or the input's own; reports when there is none.</summary>
    private TrustContext ChooseTrust(ReportBuilder report, Func<TrustAnchors> own)
    {
        var anchors = _options.Trust ?? own();
        report.Trust = Describe(anchors, _options.Trust is not null);
        if (anchors.CertificateAuthorities.Count == 0 || anchors.TimestampAuthorities.Count == 0)
        {
            report.Error(FindingCodes.TrustMissing, $"No approved {(anchors.CertificateAuthorities.Count == 0 ? "CA" : "TSA")} certificates ({anchors.Source}): nothing signed with them can be verified. Give them with --ca and --tsa.");
        }

        return new TrustContext(anchors);
    }

    private static string Describe(TrustAnchors anchors, bool explicitTrust) =>
        $"{(explicitTrust ? "explicit" : "carried by the input")}: {anchors.Source} ({anchors.CertificateAuthorities.Count} CA, {anchors.TimestampAuthorities.Count} TSA"
        + (anchors.CertificateAuthorities.Count + anchors.TimestampAuthorities.Count == 0 ? ")" : "; " + string.Join(", ", anchors.Files().Select(f => f.Prefix + f.Certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false))) + ")");

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
