using System.Text.Json;
using System.Text.Json.Serialization;

namespace Broker.GlobalConfiguration.Model;

/// <summary>
/// The global configuration as published by the central server (docs/protocol.md#global-configuration):
/// what every node needs to know about every other, signed and expiring.
/// </summary>
public sealed record GlobalConfigurationDocument
{
    public required string InstanceIdentifier { get; init; }

    public required long Version { get; init; }

    public required DateTimeOffset GeneratedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public IReadOnlyList<ApprovedCa> ApprovedCas { get; init; } = [];

    /// <summary>The time-stamping authorities whose tokens nodes request and accept; no other TSA is trusted.</summary>
    public IReadOnlyList<ApprovedTsa> ApprovedTsas { get; init; } = [];

    public IReadOnlyList<MemberEntry> Members { get; init; } = [];

    public IReadOnlyList<SecurityServerEntry> SecurityServers { get; init; } = [];

    public IReadOnlyList<RouterEntry> Routers { get; init; } = [];

    public IReadOnlyList<GlobalGroupEntry> GlobalGroups { get; init; } = [];

    public GlobalSettings Settings { get; init; } = new();
}

/// <summary>A CA whose certificates the nodes accept (base64 DER).</summary>
public sealed record ApprovedCa(string Name, string Certificate, IReadOnlyList<string>? OcspResponders = null);

/// <summary>
/// An RFC 3161 time-stamping authority: its URL (<c>POST</c> application/timestamp-query) and its signing certificate
/// (base64 DER). A token is accepted only when its signer certificate is byte-identical to one listed here.
/// </summary>
public sealed record ApprovedTsa(string Name, string Url, string Certificate);

public sealed record MemberEntry(string Id, string Name, IReadOnlyList<string> Subsystems);

/// <summary>A security server, its address, the SHA-256 hashes of its authentication certificates, and the clients it hosts.</summary>
public sealed record SecurityServerEntry(string Id, string Address, IReadOnlyList<string> AuthCertHashes, IReadOnlyList<string> Clients);

public sealed record RouterEntry(string Address, IReadOnlyList<string> AuthCertHashes);

/// <summary>A global group: a named set of clients (members or subsystems) usable in access rights.</summary>
public sealed record GlobalGroupEntry(string Code, string Description, IReadOnlyList<string> Members);

public sealed record GlobalSettings
{
    /// <summary>How often nodes poll for a new configuration.</summary>
    public int RefreshIntervalSeconds { get; init; } = 60;

    /// <summary>The largest envelope any hop accepts.</summary>
    public int MaxMessageBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>The default end-to-end deadline of an exchange.</summary>
    public int DefaultTimeoutSeconds { get; init; } = 30;
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GlobalConfigurationDocument))]
[JsonSerializable(typeof(ConfigurationAnchor))]
[JsonSerializable(typeof(PublishedConfiguration))]
public sealed partial class GlobalConfigurationJson : JsonSerializerContext;
