namespace Broker.MessageLog.Records;

/// <summary>Where a record landed: its sequence number and its hash (the next record's link).</summary>
public readonly record struct LogPosition(long Seq, byte[] Hash);
