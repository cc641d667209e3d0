namespace Broker.MessageLog.Verification;

/// <summary>A certificate a verification trusted: an approved CA or TSA, named by its full SHA-256 fingerprint.</summary>
/// <param name="Role"><c>CA</c> or <c>TSA</c>.</param>
/// <param name="Subject">The certificate's simple name.</param>
/// <param name="Sha256">The SHA-256 of its DER, lowercase hex (all 64 digits).</param>
/// <param name="FromInput">
/// True when it came from the input itself (a log's <c>trust/</c>, a container's <c>certificates/</c>): it then
/// proves integrity, not origin, unless its fingerprint is compared with an independent source.
/// </param>
public sealed record TrustedCertificate(string Role, string Subject, string Sha256, bool FromInput)
{
    public const string CertificateAuthority = "CA";
    public const string TimestampAuthority = "TSA";

    public override string ToString() => $"{Role,-3} '{Subject}' SHA-256 {Sha256}{(FromInput ? " (from the input)" : "")}";
}
