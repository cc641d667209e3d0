using Microsoft.Extensions.Logging;

namespace Broker.Cli.Network;

public sealed record LocalNetworkSettings(string ConfigDirectory, string CertificatesDirectory, string StateDirectory)
{
    /// <summary>Bind every component to a free port (tests) instead of the ports in network.json.</summary>
    public bool EphemeralPorts { get; init; }

    /// <summary>The clock of the nodes (security servers and router); the central server keeps the system clock.</summary>
    public TimeProvider NodeTime { get; init; } = TimeProvider.System;

    public LogLevel MinimumLogLevel { get; init; } = LogLevel.Warning;

    /// <summary>The router's transport: <c>embedded</c> or <c>kafka</c>.</summary>
    public string Transport { get; init; } = "embedded";

    /// <summary>Redis (<c>host:port</c>) for the routers' shared state (replay guard, rate limits, instances); null keeps it in memory.</summary>
    public string? Redis { get; init; }

    /// <summary>Router instances to start (all listed in the global configuration; security servers use them in turn).</summary>
    public int RouterInstances { get; init; } = 1;

    /// <summary>Kafka bootstrap servers, or <c>mock</c> for an in-process mock cluster of three brokers.</summary>
    public string Kafka { get; init; } = "mock";

    /// <summary>Adjusts the router's options before it is built (tests: e.g. a short circuit-breaker break).</summary>
    public Action<Broker.Router.RouterOptions>? ConfigureRouter { get; init; }

    /// <summary>Adjusts each security server's options before it is built (tests: e.g. a short time-stamping interval).</summary>
    public Action<Broker.SecurityServer.SecurityServerOptions>? ConfigureSecurityServer { get; init; }

    /// <summary>Overrides the exchange deadline published in the global configuration.</summary>
    public int DefaultTimeoutSeconds { get; init; } = 30;
}
