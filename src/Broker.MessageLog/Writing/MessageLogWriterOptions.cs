namespace Broker.MessageLog.Writing;

/// <summary>Where and how the message log writes (docs/message-log.md).</summary>
public sealed class MessageLogWriterOptions
{
    /// <summary>The directory of the live segment files.</summary>
    public string Directory { get; set; } = "";

    /// <summary>A segment is closed (and becomes archivable) when it reaches this size.</summary>
    public long MaxSegmentBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>A segment is closed when its first record is this old, even if it is small.</summary>
    public TimeSpan MaxSegmentAge { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The most records one group commit (one write and one fdatasync) takes.</summary>
    public int MaxBatchRecords { get; set; } = 4096;

    /// <summary>
    /// How long a record appended with <see cref="MessageLogWriter.AppendWithNext"/> waits in memory for a durable
    /// append to ride with before it is written on its own.
    /// </summary>
    public TimeSpan RiderDelay { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>The key file for encrypting stored bodies at rest; null stores them as signed.</summary>
    public string? BodyKeyFile { get; set; }
}
