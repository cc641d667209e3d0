using Microsoft.Extensions.Logging;

namespace Broker.Hosting.Hosts;

/// <summary>What every component host is built with: its global-configuration anchor, a state directory, a clock.</summary>
public sealed record NodeHostSettings(string AnchorPath, string StateDirectory)
{
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public LogLevel MinimumLogLevel { get; init; } = LogLevel.Warning;

    /// <summary>Overrides the configuration's polling interval (tests use short ones).</summary>
    public TimeSpan? ConfigurationRefresh { get; init; }
}
