namespace Broker.MessageLog.Verification;

/// <summary>What was verified.</summary>
public enum VerificationKind
{
    Unknown,
    LogDirectory,
    Archive,
    ArchiveDirectory,
    Evidence,
}
