using System.ComponentModel.DataAnnotations;

namespace Broker.SecurityServer;

/// <summary>One security server: who it is, what it hosts, where its keys are, which services it offers to whom.</summary>
public sealed class SecurityServerOptions
{
    /// <summary>The server's identifier, <c>INSTANCE/CLASS/MEMBER/SERVERCODE</c>.</summary>
    [Required]
    public string ServerId { get; set; } = "";

    /// <summary>Port for the agency's information systems (REST r1, plain HTTP on loopback); 0 picks one.</summary>
    [Range(0, 65535)]
    public int ClientPort { get; set; }

    /// <summary>Port for signed envelopes from the router (mutual TLS); 0 picks one.</summary>
    [Range(0, 65535)]
    public int ServicePort { get; set; }

    /// <summary>Address the client-proxy port binds to; loopback unless the operator exposes it.</summary>
    [Required]
    public string ClientListenAddress { get; set; } = "127.0.0.1";

    [Required]
    public string CertificatesDirectory { get; set; } = "";

    /// <summary>Base name of the authentication (TLS) certificate and key in <see cref="CertificatesDirectory"/>.</summary>
    [Required]
    public string AuthCertificate { get; set; } = "";

    /// <summary>Base name of the owner member's signing certificate chain and key.</summary>
    [Required]
    public string SigningCertificate { get; set; } = "";

    /// <summary>The subsystems this server hosts (as clients and providers).</summary>
    [MinLength(1)]
    public List<string> Clients { get; set; } = [];

    public List<ServiceOptions> Services { get; set; } = [];

    /// <summary>Ceiling for an incoming body on any port; the global configuration's limit applies when lower.</summary>
    [Range(1024, int.MaxValue)]
    public int MaxMessageBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>The message log: modes per subsystem, rotation, time-stamping, archives.</summary>
    public MessageLog.MessageLogOptions MessageLog { get; set; } = new();
}

/// <summary>A service offered by a hosted subsystem and who may call it.</summary>
public sealed class ServiceOptions
{
    [Required]
    public string Subsystem { get; set; } = "";

    [Required]
    public string Code { get; set; } = "";

    /// <summary>The provider information system's base URL; the r1 service path and query are appended.</summary>
    [Required]
    [Url]
    public string Url { get; set; } = "";

    /// <summary>Timeout for the provider's service, capped by the exchange's deadline.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Allowed callers: client subsystem identifiers, member identifiers, or <c>group:CODE</c> for a global group.</summary>
    public List<string> Allow { get; set; } = [];
}
