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

    /// <summary>The central server's time-stamping authority (plain HTTP on loopback, <c>POST /tsa</c>).</summary>
    public int TsaPort { get; init; } = 4402;

    public int ConfigurationValidityMinutes { get; init; } = 10;

    public IReadOnlyList<MemberEntry> Members { get; init; } = [];

    public IReadOnlyList<GlobalGroupEntry> GlobalGroups { get; init; } = [];

    public IReadOnlyList<SecurityServerDefinition> SecurityServers { get; init; } = [];

    public IReadOnlyList<SampleRegistryDefinition> SampleRegistries { get; init; } = [];

    public static NetworkDefinition Load(string path) =>
        JsonSerializer.Deserialize(File.ReadAllBytes(path), NetworkJson.Default.NetworkDefinition)
        ?? throw new InvalidOperationException($"'{path}' is empty.");
}

public sealed record SecurityServerDefinition(string Id, int ClientPort, int ServicePort, IReadOnlyList<string> Clients, IReadOnlyList<ServiceOptions> Services)
{
    /// <summary>The options of this security server with the development PKI's file names; <paramref name="rebase"/> maps service URLs.</summary>
    public SecurityServerOptions ToOptions(string certificatesDirectory, int clientPort, int servicePort, Func<string, string>? rebase = null) => new()
    {
        ServerId = Id,
        ClientPort = clientPort,
        ServicePort = servicePort,
        CertificatesDirectory = certificatesDirectory,
        AuthCertificate = DevelopmentPki.AuthCertificateName(Id),
        SigningCertificate = DevelopmentPki.SigningCertificateName(Broker.Protocol.Identifiers.SecurityServerId.Parse(Id).Owner),
        Clients = [.. Clients],
        Services = Services.Select(s => new ServiceOptions
        {
            Subsystem = s.Subsystem,
            Code = s.Code,
            Url = rebase?.Invoke(s.Url) ?? s.Url,
            Allow = s.Allow,
            Timeout = s.Timeout,
        }).ToList(),
    };
}

public sealed record SampleRegistryDefinition(string Name, int Port, string Data);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, ReadCommentHandling = JsonCommentHandling.Skip)]
[JsonSerializable(typeof(NetworkDefinition))]
internal sealed partial class NetworkJson : JsonSerializerContext;
