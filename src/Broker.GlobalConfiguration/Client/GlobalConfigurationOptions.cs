using System.ComponentModel.DataAnnotations;

namespace Broker.GlobalConfiguration.Client;

public sealed class GlobalConfigurationOptions
{
    /// <summary>The configuration anchor file (JSON): URL, verification certificates, TLS trust.</summary>
    [Required]
    public string AnchorPath { get; set; } = "";

    /// <summary>Where the last valid configuration is kept (globalconf.json and globalconf.json.p7s).</summary>
    [Required]
    public string CacheDirectory { get; set; } = "";

    /// <summary>Overrides the polling interval the configuration itself announces.</summary>
    public TimeSpan? RefreshInterval { get; set; }
}
