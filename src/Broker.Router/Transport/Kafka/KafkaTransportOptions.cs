using System.ComponentModel.DataAnnotations;

namespace Broker.Router.Transport.Kafka;

/// <summary>The Kafka transport's settings (docs/operations.md lists them with their defaults).</summary>
public sealed class KafkaTransportOptions
{
    /// <summary>Bootstrap servers, <c>host:port[,host:port…]</c>.</summary>
    [Required]
    public string BootstrapServers { get; set; } = "";

    /// <summary>Requests, keyed by the provider subsystem so one provider's requests stay in order on one partition.</summary>
    [Required]
    public string RequestsTopic { get; set; } = "broker.requests";

    [Range(1, 10_000)]
    public int RequestsPartitions { get; set; } = 12;

    /// <summary>Answers; each router instance reads only its own partition of this topic.</summary>
    [Required]
    public string RepliesTopic { get; set; } = "broker.replies";

    /// <summary>Partitions of the replies topic: the most router instances that can run at once.</summary>
    [Range(1, 10_000)]
    public int RepliesPartitions { get; set; } = 16;

    /// <summary>This instance's partition of the replies topic; unique per running instance.</summary>
    [Range(0, 9_999)]
    public int ReplyPartition { get; set; }

    /// <summary>The consumer group shared by every instance's delivery worker.</summary>
    [Required]
    public string DeliveryGroup { get; set; } = "broker-delivery";

    /// <summary>Deliveries one instance runs at once (offsets are committed up to the oldest one still running).</summary>
    [Range(1, 4096)]
    public int MaxInFlight { get; set; } = 256;

    /// <summary>Deferred requests: kept here while their provider's security server cannot be reached.</summary>
    [Required]
    public string DeferredTopic { get; set; } = "broker.deferred";

    [Range(1, 10_000)]
    public int DeferredPartitions { get; set; } = 12;

    /// <summary>The consumer group that delivers deferred requests.</summary>
    [Required]
    public string DeferredGroup { get; set; } = "broker-deferred";

    /// <summary>How long a deferred request is tried, and its answer kept for fetching.</summary>
    public TimeSpan DeferredRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Pause between attempts to reach an unreachable provider for a deferred request.</summary>
    public TimeSpan DeferredRetryInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Audit topic: every exchange's signature documents and metadata; empty turns auditing off.</summary>
    public string AuditTopic { get; set; } = "broker.audit";

    [Range(1, 10_000)]
    public int AuditPartitions { get; set; } = 12;

    /// <summary>Subsystems (client or provider) whose message bodies the audit topic keeps; others get digests only.</summary>
    public IList<string> AuditBodiesOf { get; set; } = [];

    /// <summary>Consumer session timeout: how soon a dead instance's partitions move to the others.</summary>
    [Range(1000, 300_000)]
    public int SessionTimeoutMs { get; set; } = 6000;
}
