namespace Broker.Auditor.Verify;

/// <summary>What <c>broker audit verify</c> was asked to verify, and with what.</summary>
/// <param name="Path">A log directory, an archive, a directory of archives or an evidence container.</param>
/// <param name="KeyFiles">Body keys (encrypted bodies at rest are checked with them).</param>
/// <param name="CaFiles">PEM files of approved CAs that replace the ones the input carries.</param>
/// <param name="TsaFiles">PEM files of approved TSAs that replace the ones the input carries.</param>
public sealed record AuditVerifyRequest(string Path, IReadOnlyList<string> KeyFiles, IReadOnlyList<string> CaFiles, IReadOnlyList<string> TsaFiles);
