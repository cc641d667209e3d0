using System.ComponentModel.DataAnnotations;

namespace Broker.Router;

public sealed class RouterOptions
{
    [Range(0, 65535)]
    public int Port { get; set; }

    [Required]
    public string CertificatesDirectory { get; set; } = "";

    /// <summary>Base name of the router's TLS certificate and key (registered in the global configuration).</summary>
    [Required]
    public string TlsCertificate { get; set; } = "router-tls";

    /// <summary>Ceiling for an envelope; the global configuration's limit applies when lower.</summary>
    [Range(1024, int.MaxValue)]
    public int MaxMessageBytes { get; set; } = Broker.Protocol.Envelopes.Envelope.MaxLength(10 * 1024 * 1024);

    /// <summary><c>embedded</c> (one instance, in-process queue) or <c>kafka</c> (several instances, see <see cref="Kafka"/>).</summary>
    [RegularExpression("^(embedded|kafka)$")]
    public string Transport { get; set; } = "embedded";

    /// <summary>Kafka transport settings; used when <see cref="Transport"/> is <c>kafka</c>.</summary>
    public Transport.Kafka.KafkaTransportOptions Kafka { get; set; } = new();

    /// <summary>Embedded transport: concurrent deliveries to providers.</summary>
    [Range(1, 4096)]
    public int DeliveryWorkers { get; set; } = 256;

    /// <summary>Embedded transport: envelopes waiting for a worker before new ones are refused (Overloaded).</summary>
    [Range(1, 1_000_000)]
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Circuit breaker and retries of delivery to providers' security servers (checked by <see cref="Delivery.DeliveryResilienceOptionsValidator"/>).</summary>
    public Delivery.DeliveryResilienceOptions Resilience { get; set; } = new();

    /// <summary>Replay guard, rate limits and instance registry: in Redis when <c>State.Redis</c> is set, in memory otherwise.</summary>
    public State.RouterStateOptions State { get; set; } = new();
}
