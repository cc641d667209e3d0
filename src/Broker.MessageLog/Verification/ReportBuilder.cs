using System.Security.Cryptography.X509Certificates;
using Broker.MessageLog.Trust;

namespace Broker.MessageLog.Verification;

/// <summary>Collects findings and counts while a verification runs.</summary>
internal sealed class ReportBuilder(string target, VerificationKind kind)
{
    private readonly List<Finding> _findings = [];
    private readonly List<TrustedCertificate> _trusted = [];

    public string Target { get; } = target;

    public VerificationKind Kind { get; set; } = kind;

    /// <summary>Where the trust came from (without the certificates, which <see cref="Trusted"/> collects).</summary>
    public string TrustSource { get; set; } = "none";

    public string? InputError { get; set; }

    public long Records { get; set; }

    public long Messages { get; set; }

    public long Stamps { get; set; }

    public int Archives { get; set; }

    public int Segments { get; set; }

    public long SignaturesVerified { get; set; }

    public long BodiesChecked { get; set; }

    public long BodiesOmitted { get; set; }

    public long BodiesNotChecked { get; set; }

    public long BodiesWithoutKey { get; set; }

    public long BodiesWithOtherKey { get; set; }

    public long? FirstSeq { get; set; }

    public long? LastSeq { get; set; }

    public DateTimeOffset? FirstLoggedAt { get; set; }

    public DateTimeOffset? LastLoggedAt { get; set; }

    public void Error(string code, string message, string? source = null, long? seq = null) =>
        _findings.Add(new Finding(FindingSeverity.Error, code, message, source, seq));

    public void Warning(string code, string message, string? source = null, long? seq = null) =>
        _findings.Add(new Finding(FindingSeverity.Warning, code, message, source, seq));

    public void Info(string code, string message, string? source = null, long? seq = null) =>
        _findings.Add(new Finding(FindingSeverity.Info, code, message, source, seq));

    public void Unreadable(string message)
    {
        InputError ??= message;
        Error(FindingCodes.InputUnreadable, message);
    }

    /// <summary>Notes the anchors one part of the input is verified with (each certificate once).</summary>
    public void Trusted(TrustAnchors anchors, bool casFromInput, bool tsasFromInput)
    {
        Add(anchors.CertificateAuthorities, TrustedCertificate.CertificateAuthority, casFromInput);
        Add(anchors.TimestampAuthorities, TrustedCertificate.TimestampAuthority, tsasFromInput);

        void Add(IReadOnlyList<X509Certificate2> certificates, string role, bool fromInput)
        {
            foreach (var certificate in certificates)
            {
                var sha256 = Broker.Cryptography.X509.CertificateValidator.Hex(certificate);
                if (!_trusted.Exists(t => t.Role == role && t.Sha256 == sha256))
                {
                    _trusted.Add(new TrustedCertificate(role, certificate.GetNameInfo(X509NameType.SimpleName, false), sha256, fromInput));
                }
            }
        }
    }

    public void SawRecord(long seq, DateTimeOffset loggedAt)
    {
        Records++;
        FirstSeq = FirstSeq is long first ? Math.Min(first, seq) : seq;
        LastSeq = LastSeq is long last ? Math.Max(last, seq) : seq;
        if (FirstLoggedAt is null || loggedAt < FirstLoggedAt)
        {
            FirstLoggedAt = loggedAt;
        }

        if (LastLoggedAt is null || loggedAt > LastLoggedAt)
        {
            LastLoggedAt = loggedAt;
        }
    }

    public VerificationReport Build()
    {
        var findings = new List<Finding>(_findings);
        if (BodiesOmitted > 0)
        {
            findings.Add(new Finding(FindingSeverity.Info, FindingCodes.BodyOmitted, $"{BodiesOmitted} bodies were left out in metadata-only mode: their digests are signed and the heads verify; the bodies are not in the log."));
        }

        if (BodiesWithoutKey > 0)
        {
            findings.Add(new Finding(FindingSeverity.Info, FindingCodes.BodyNotChecked, $"{BodiesWithoutKey} bodies are encrypted at rest and were not checked: give the key file with --key to check them."));
        }

        if (BodiesWithOtherKey > 0)
        {
            findings.Add(new Finding(FindingSeverity.Info, FindingCodes.BodyNotChecked, $"{BodiesWithOtherKey} bodies are encrypted with a key that was not given, and were not checked."));
        }

        // errors about records in sequence order, then the rest in the order they were found
        findings = [.. findings.Select((f, i) => (f, i)).OrderBy(x => x.f.Seq ?? long.MaxValue).ThenBy(x => x.i).Select(x => x.f)];
        return new VerificationReport
        {
            Target = Target,
            Kind = Kind,
            Trust = $"{TrustSource} — CAs: {Names(TrustedCertificate.CertificateAuthority)}; TSAs: {Names(TrustedCertificate.TimestampAuthority)}",
            TrustSource = TrustSource,
            TrustFromInput = _trusted.Exists(t => t.FromInput),
            TrustedCertificates = [.. _trusted],
            InputError = InputError,
            Findings = findings,
            Records = Records,
            Messages = Messages,
            Stamps = Stamps,
            Archives = Archives,
            Segments = Segments,
            SignaturesVerified = SignaturesVerified,
            BodiesChecked = BodiesChecked,
            BodiesOmitted = BodiesOmitted,
            BodiesNotChecked = BodiesNotChecked,
            FirstSeq = FirstSeq,
            LastSeq = LastSeq,
            FirstLoggedAt = FirstLoggedAt,
            LastLoggedAt = LastLoggedAt,
        };
    }

    private string Names(string role)
    {
        var names = _trusted.Where(t => t.Role == role).Select(t => $"'{t.Subject}' ({t.Sha256})").ToList();
        return names.Count == 0 ? "none" : string.Join(", ", names);
    }
}
