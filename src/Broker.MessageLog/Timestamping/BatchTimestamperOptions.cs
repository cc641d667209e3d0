namespace Broker.MessageLog.Timestamping;

/// <summary>How the message log is time-stamped (docs/message-log.md#time-stamping).</summary>
public sealed class BatchTimestamperOptions
{
    /// <summary>How often waiting records are time-stamped (one token per batch).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The most records one token covers; a fuller backlog is stamped at once, in several batches.</summary>
    public int MaxBatch { get; set; } = 8192;

    /// <summary>How long traffic continues while no TSA answers: after this, new exchanges fail.</summary>
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromHours(4);

    /// <summary>When the oldest record waiting for a time-stamp is this old, health says so (long before the grace period ends).</summary>
    public TimeSpan WarningAfter { get; set; } = TimeSpan.FromMinutes(5);
}
