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

    /// <summary>Embedded transport: concurrent deliveries to providers.</summary>
    [Range(1, 4096)]
    public int DeliveryWorkers { get; set; } = 256;

    /// <summary>Embedded transport: envelopes waiting for a worker before new ones are refused (Overloaded).</summary>
    [Range(1, 1_000_000)]
    public int QueueCapacity { get; set; } = 10_000;
}
