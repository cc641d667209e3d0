using System.Text.Json;
using System.Text.Json.Serialization;
using Broker.GlobalConfiguration.Model;
using Broker.SecurityServer;

namespace Broker.Cli.Network;

/// <summary>The local network <c>broker up</c> runs (config/network.json): members, security servers, services, access rights.</summary>
public sealed record NetworkDefinition
{
    public required string Instance { get; init; }

    public int CentralPort { get; init; } = 4400;

    public int RouterPort { get; init; } = 4401;

    public int ConfigurationValidityMinutes { get; init; } = 10;

    public IReadOnlyList<MemberEntry> Members { get; init; } = [];

    public IReadOnlyList<GlobalGroupEntry> GlobalGroups { get; init; } = [];

    public IReadOnlyList<SecurityServerDefinition> SecurityServers { get; init; } = [];

    public IReadOnlyList<SampleRegistryDefinition> SampleRegistries { get; init; } = [];

    public static NetworkDefinition Load(string path) =>
        JsonSerializer.Deserialize(File.ReadAllBytes(path), NetworkJson.Default.NetworkDefinition)
        ?? throw new InvalidOperationException($"'{path}' is empty.");
}

public sealed record SecurityServerDefinition(string Id, int ClientPort, int ServicePort, IReadOnlyList<string> Clients, IReadOnlyList<ServiceOptions> Services);

public sealed record SampleRegistryDefinition(string Name, int Port, string Data);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, ReadCommentHandling = JsonCommentHandling.Skip)]
[JsonSerializable(typeof(NetworkDefinition))]
internal sealed partial class NetworkJson : JsonSerializerContext;
