using Microsoft.Extensions.Logging;

namespace Broker.Cli.Network;

public sealed record LocalNetworkSettings(string ConfigDirectory, string CertificatesDirectory, string StateDirectory)
{
    /// <summary>Bind every component to a free port (tests) instead of the ports in network.json.</summary>
    public bool EphemeralPorts { get; init; }

    /// <summary>The clock of the nodes (security servers and router); the central server keeps the system clock.</summary>
    public TimeProvider NodeTime { get; init; } = TimeProvider.System;

    public LogLevel MinimumLogLevel { get; init; } = LogLevel.Warning;

    /// <summary>Overrides the exchange deadline published in the global configuration.</summary>
    public int DefaultTimeoutSeconds { get; init; } = 30;
}
