using System.Security.Cryptography.X509Certificates;
using Broker.MessageLog.Records;

namespace Broker.MessageLog.Verification;

/// <summary>How <see cref="LogVerifier"/> verifies.</summary>
public sealed class VerificationOptions
{
    /// <summary>
    /// Approved CAs that replace the ones the input carries (a log's <c>trust/</c> folder, an archive's or
    /// container's <c>certificates/</c>); null uses the input's own, and the report then says that its trust was taken
    /// from the input (<see cref="VerificationReport.TrustFromInput"/>): that proves integrity, not origin.
    /// </summary>
    public IReadOnlyList<X509Certificate2>? CertificateAuthorities { get; init; }

    /// <summary>Where <see cref="CertificateAuthorities"/> came from, for the report.</summary>
    public string CertificateAuthoritiesSource { get; init; } = "given explicitly";

    /// <summary>
    /// Approved TSAs that replace the ones the input carries; null uses the input's own. Only certificates with the
    /// timeStamping extended key usage are used either way (a TSA's PEM file may hold its issuer too).
    /// </summary>
    public IReadOnlyList<X509Certificate2>? TimestampAuthorities { get; init; }

    /// <summary>Where <see cref="TimestampAuthorities"/> came from, for the report.</summary>
    public string TimestampAuthoritiesSource { get; init; } = "given explicitly";

    /// <summary>Keys of bodies encrypted at rest; an encrypted body is checked when one of them is its key.</summary>
    public IReadOnlyList<BodyCipher> BodyKeys { get; init; } = [];

    /// <summary>
    /// The verification's clock: a message record that no valid time-stamp covers has its signer's certificate checked
    /// as of now, since nothing proves an earlier signing time.
    /// </summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    internal bool FullyExplicit => CertificateAuthorities is not null && TimestampAuthorities is not null;
}
