namespace Broker.Auditor.Verify;

/// <summary>What <c>broker audit verify</c> was asked to verify, and with what.</summary>
/// <param name="Path">A log directory, an archive, a directory of archives or an evidence container.</param>
/// <param name="KeyFiles">Body keys (encrypted bodies at rest are checked with them).</param>
/// <param name="CaFiles">PEM files of approved CAs from an independent source; they replace the ones the input carries.</param>
/// <param name="TsaFiles">
/// PEM files of approved TSAs from an independent source; they replace the ones the input carries. Only the
/// certificates with the timeStamping usage count (a TSA's PEM file may hold its issuing CA too).
/// </param>
/// <param name="TrustEmbedded">
/// Trust the certificates the input carries for what <paramref name="CaFiles"/> and <paramref name="TsaFiles"/> do
/// not give: proves the input's integrity, not its origin. Without it both are required.
/// </param>
public sealed record AuditVerifyRequest(string Path, IReadOnlyList<string> KeyFiles, IReadOnlyList<string> CaFiles, IReadOnlyList<string> TsaFiles, bool TrustEmbedded = false);
