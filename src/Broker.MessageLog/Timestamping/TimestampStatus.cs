namespace Broker.MessageLog.Timestamping;

/// <summary>The time-stamper's state for health output and admission.</summary>
/// <param name="State"><c>ok</c>, <c>warning</c> (records have waited longer than the warning threshold) or <c>failing</c> (the grace period is over).</param>
/// <param name="Backlog">Message records waiting for a time-stamp.</param>
/// <param name="OldestWaitingSince">When the oldest waiting record was logged.</param>
/// <param name="GraceEndsAt">When new exchanges start to fail if no TSA answers before.</param>
public sealed record TimestampStatus(
    string State,
    int Backlog,
    DateTimeOffset? OldestWaitingSince,
    DateTimeOffset? GraceEndsAt,
    DateTimeOffset? LastStampedAt,
    long StampedThrough,
    long Tokens,
    string? LastError);
