namespace Broker.MessageLog.Verification;

/// <summary>A timestamp record as verified: its range and root, and its token's time when the token verified.</summary>
internal sealed record StampOutcome(long Seq, long FirstSeq, long LastSeq, int LeafCount, byte[] Root, DateTimeOffset? GenTime, string Source);
