namespace Broker.MessageLog.Verification;

/// <summary>The result of verifying a log directory, an archive, a directory of archives or an evidence container.</summary>
public sealed class VerificationReport
{
    public required string Target { get; init; }

    public required VerificationKind Kind { get; init; }

    /// <summary>Which certificates were trusted (with their full SHA-256 fingerprints), and where they came from.</summary>
    public required string Trust { get; init; }

    /// <summary>Where the trusted certificates came from: given explicitly, or the input's own.</summary>
    public string TrustSource { get; init; } = "";

    /// <summary>
    /// True when some trusted certificate was taken from the input itself (its <c>trust/</c> or <c>certificates/</c>):
    /// whoever could change the input could have replaced them too, so the verdict proves integrity, not origin, until
    /// <see cref="TrustedCertificates"/>' fingerprints are compared with an independent source.
    /// </summary>
    public bool TrustFromInput { get; init; }

    /// <summary>Every CA and TSA certificate the verification trusted.</summary>
    public IReadOnlyList<TrustedCertificate> TrustedCertificates { get; init; } = [];

    /// <summary>Set when the input could not be read at all (not a log, archive or container); the findings then say why.</summary>
    public string? InputError { get; init; }

    public required IReadOnlyList<Finding> Findings { get; init; }

    public long Records { get; init; }

    public long Messages { get; init; }

    public long Stamps { get; init; }

    public int Archives { get; init; }

    public int Segments { get; init; }

    public long SignaturesVerified { get; init; }

    public long BodiesChecked { get; init; }

    public long BodiesOmitted { get; init; }

    public long BodiesNotChecked { get; init; }

    public long? FirstSeq { get; init; }

    public long? LastSeq { get; init; }

    public DateTimeOffset? FirstLoggedAt { get; init; }

    public DateTimeOffset? LastLoggedAt { get; init; }

    public int Errors => Findings.Count(f => f.Severity == FindingSeverity.Error);

    public int Warnings => Findings.Count(f => f.Severity == FindingSeverity.Warning);

    /// <summary>True when the input was read and nothing failed to verify.</summary>
    public bool IsValid => InputError is null && Errors == 0;
}
