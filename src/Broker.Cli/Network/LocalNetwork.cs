using System.Text.Json;
using Broker.Central;
using Broker.Central.Publishing;
using Broker.Central.Timestamping;
using Broker.Cli.Samples;
using Broker.Cryptography.X509;
using Broker.GlobalConfiguration.Client;
using Broker.GlobalConfiguration.Model;
using Broker.Hosting.Hosts;
using Broker.Pki.Authority;
using Broker.Router;
using Broker.Router.Transport.Kafka;
using Broker.SecurityServer;
using Broker.SecurityServer.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Broker.Cli.Network;

/// <summary>
/// The whole network in one process, each component on its own loopback port: the central server, a router, the
/// security servers and the sample registries of network.json. What <c>broker up</c> runs and the functional tests use.
/// </summary>
public sealed class LocalNetwork : IAsyncDisposable
{
    private readonly List<WebApplication> _apps = [];
    private readonly Dictionary<string, SecurityServerOptions> _serverOptions = new(StringComparer.Ordinal);

    private LocalNetwork(NetworkDefinition definition, LocalNetworkSettings settings)
    {
        Definition = definition;
        Settings = settings;
    }

    public NetworkDefinition Definition { get; }

    public LocalNetworkSettings Settings { get; }

    public Uri CentralUrl { get; private set; } = null!;

    /// <summary>The first router instance's address.</summary>
    public Uri RouterUrl => Router.Url;

    public GlobalConfigurationPublisher Publisher { get; private set; } = null!;

    /// <summary>Security servers by identifier.</summary>
    public Dictionary<string, RunningSecurityServer> SecurityServers { get; } = new(StringComparer.Ordinal);

    /// <summary>Sample registries by name.</summary>
    public Dictionary<string, RunningApp> SampleRegistries { get; } = new(StringComparer.Ordinal);

    /// <summary>The first router instance.</summary>
    public RunningApp Router => Routers[0];

    /// <summary>Every router instance (<see cref="LocalNetworkSettings.RouterInstances"/>), all listed in the global configuration.</summary>
    public List<RunningApp> Routers { get; } = [];

    /// <summary>The central server's time-stamping authority (its own host: <see cref="StopTsaAsync"/> simulates an outage).</summary>
    public RunningApp Tsa { get; private set; } = null!;

    /// <summary>The registry the central server publishes (with real addresses).</summary>
    public GlobalConfigurationDocument Registry { get; private set; } = null!;

    public string AnchorPath => Path.Combine(Settings.StateDirectory, "anchor.json");

    public static async Task<LocalNetwork> StartAsync(NetworkDefinition definition, LocalNetworkSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(settings);
        DevelopmentPki.Ensure(definition, settings.CertificatesDirectory);
        Directory.CreateDirectory(settings.StateDirectory);
        var network = new LocalNetwork(definition, settings);
        try
        {
            await network.StartComponentsAsync(cancellationToken);
            return network;
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }
    }

    private int Port(int configured) => Settings.EphemeralPorts ? 0 : configured;

    private NodeHostSettings NodeSettings(string name, TimeProvider time) =>
        new(AnchorPath, Path.Combine(Settings.StateDirectory, name)) { Time = time, MinimumLogLevel = Settings.MinimumLogLevel };

    private async Task StartComponentsAsync(CancellationToken cancellationToken)
    {
        var certs = Settings.CertificatesDirectory;

        // 1. central server, so that the anchor can name its address
        var validity = TimeSpan.FromMinutes(Definition.ConfigurationValidityMinutes);
        Publisher = new GlobalConfigurationPublisher(BuildRegistry(new Dictionary<string, Uri>(), []), PemFiles.LoadWithKey(certs, DevelopmentPki.CentralConfigurationSigning), TimeProvider.System, validity);
        var central = CentralHost.Build(Port(Definition.CentralPort), PemFiles.LoadWithKey(certs, DevelopmentPki.CentralTls), Publisher, NodeSettings("central", TimeProvider.System));
        CentralUrl = await StartAsync(central, cancellationToken);
        WriteAnchor();

        // the central server's TSA, a host of its own so that it can be stopped and started apart (an outage)
        var tsa = BuildTsa(Port(Definition.TsaPort));
        Tsa = new RunningApp(tsa, await StartAsync(tsa, cancellationToken));

        // 2. sample registries (the providers' information systems)
        var ports = new Dictionary<int, int>();
        foreach (var registry in Definition.SampleRegistries)
        {
            var app = SampleRegistryHost.Build(Path.Combine(Settings.ConfigDirectory, registry.Data), Port(registry.Port), NodeSettings(registry.Name, TimeProvider.System));
            var url = await StartAsync(app, cancellationToken);
            ports[registry.Port] = url.Port;
            SampleRegistries[registry.Name] = new RunningApp(app, url);
        }

        // 3. security servers and the router
        var serverAddresses = new Dictionary<string, Uri>(StringComparer.Ordinal);
        foreach (var server in Definition.SecurityServers)
        {
            var options = server.ToOptions(certs, Port(server.ClientPort), Port(server.ServicePort), url => Rebase(url, ports));
            Settings.ConfigureSecurityServer?.Invoke(options);
            var app = SecurityServerHost.Build(options, NodeSettings("ss-" + server.Id.Replace('/', '-'), Settings.NodeTime));
            await app.StartAsync(cancellationToken);
            _apps.Add(app);
            var urls = app.Urls.Select(u => new Uri(u)).ToArray();
            var clientUrl = urls.Single(u => u.Scheme == "http");
            var serviceUrl = urls.Single(u => u.Scheme == "https");
            serverAddresses[server.Id] = serviceUrl;
            SecurityServers[server.Id] = new RunningSecurityServer(app, clientUrl, serviceUrl);
            _serverOptions[server.Id] = options;
        }

        // router instances: the first on the configured port, the others on free ports; each reads its own reply partition
        for (var instance = 0; instance < Settings.RouterInstances; instance++)
        {
            var routerOptions = new RouterOptions
            {
                Port = instance == 0 ? Port(Definition.RouterPort) : 0,
                CertificatesDirectory = certs,
                TlsCertificate = DevelopmentPki.RouterTls,
                Transport = Settings.Transport,
            };
            routerOptions.State.Redis = Settings.Redis;
            routerOptions.State.InstanceId = "router-" + instance;
            if (Settings.Transport == "kafka")
            {
                routerOptions.Kafka.BootstrapServers = KafkaCluster?.BootstrapServers ?? StartKafka(routerOptions.Kafka);
                routerOptions.Kafka.ReplyPartition = instance;
            }

            Settings.ConfigureRouter?.Invoke(routerOptions);
            var router = RouterHost.Build(routerOptions, NodeSettings(instance == 0 ? "router" : "router-" + instance, Settings.NodeTime));
            Routers.Add(new RunningApp(router, await StartAsync(router, cancellationToken)));
        }

        // 4. publish the registry with the real addresses and have every node fetch it now
        Registry = BuildRegistry(serverAddresses, [.. Routers.Select(r => r.Url)]);
        Publisher.Update(Registry);
        await RefreshAllAsync(cancellationToken);
    }

    /// <summary>The in-process mock Kafka cluster when the transport is <c>kafka</c> and no bootstrap servers were given.</summary>
    public MockKafkaCluster? KafkaCluster { get; private set; }

    private string StartKafka(KafkaTransportOptions kafka)
    {
        if (Settings.Kafka != "mock")
        {
            return Settings.Kafka;
        }

        KafkaCluster = new MockKafkaCluster(brokers: 3);
        KafkaCluster.CreateTopic(kafka.RequestsTopic, kafka.RequestsPartitions, replicationFactor: 3);
        KafkaCluster.CreateTopic(kafka.RepliesTopic, kafka.RepliesPartitions, replicationFactor: 3);
        KafkaCluster.CreateTopic(kafka.AuditTopic, kafka.AuditPartitions, replicationFactor: 3);
        KafkaCluster.CreateTopic(kafka.DeferredTopic, kafka.DeferredPartitions, replicationFactor: 3);
        return KafkaCluster.BootstrapServers;
    }

    /// <summary>
    /// Starts a security server again after it was stopped (an outage ends): a new host with the same identity, on the
    /// same ports, with the current global configuration.
    /// </summary>
    public async Task<RunningSecurityServer> RestartSecurityServerAsync(string id, CancellationToken cancellationToken)
    {
        var previous = SecurityServers[id];
        var options = _serverOptions[id];
        options.ClientPort = previous.ClientUrl.Port;
        options.ServicePort = previous.ServiceUrl.Port;
        var app = SecurityServerHost.Build(options, NodeSettings("ss-" + id.Replace('/', '-'), Settings.NodeTime));
        await app.StartAsync(cancellationToken);
        _apps.Add(app);
        if (!await app.Services.GetRequiredService<GlobalConfigurationClient>().RefreshAsync(cancellationToken))
        {
            throw new InvalidOperationException("The restarted security server could not fetch the global configuration.");
        }

        return SecurityServers[id] = new RunningSecurityServer(app, previous.ClientUrl, previous.ServiceUrl);
    }

    /// <summary>Stops the time-stamping authority (a TSA outage); the global configuration keeps listing it.</summary>
    public async Task StopTsaAsync(CancellationToken cancellationToken)
    {
        var app = Tsa.App;
        if (_apps.Remove(app))
        {
            await app.StopAsync(cancellationToken);
            await app.DisposeAsync();
        }
    }

    /// <summary>Starts the time-stamping authority again after <see cref="StopTsaAsync"/>: same port, same certificate.</summary>
    public async Task StartTsaAsync(CancellationToken cancellationToken)
    {
        if (_apps.Contains(Tsa.App))
        {
            return;
        }

        var app = BuildTsa(Tsa.Url.Port);
        await app.StartAsync(cancellationToken);
        _apps.Add(app);
        Tsa = new RunningApp(app, Tsa.Url);
    }

    private WebApplication BuildTsa(int port) =>
        TimestampAuthorityHost.Build(port, PemFiles.LoadWithKey(Settings.CertificatesDirectory, DevelopmentPki.CentralTimestamping), NodeSettings("tsa", TimeProvider.System));

    /// <summary>
    /// Lists router instances that run elsewhere (e.g. <c>broker router</c> processes) in the global configuration too,
    /// publishes it and has every node fetch it.
    /// </summary>
    public async Task AddRoutersAsync(IEnumerable<Uri> addresses, CancellationToken cancellationToken)
    {
        var hash = CertificateValidator.Hex(PemFiles.LoadCertificate(Settings.CertificatesDirectory, DevelopmentPki.RouterTls));
        Registry = Registry with
        {
            Routers = [.. Registry.Routers, .. addresses.Select(a => new RouterEntry(a.GetLeftPart(UriPartial.Authority), [hash]))],
            Version = Registry.Version + 1,
        };
        Publisher.Update(Registry);
        await RefreshAllAsync(cancellationToken);
    }

    /// <summary>Makes every node fetch the current global configuration now.</summary>
    public async Task RefreshAllAsync(CancellationToken cancellationToken)
    {
        foreach (var app in SecurityServers.Values.Select(s => s.App).Concat(Routers.Select(r => r.App)))
        {
            var client = app.Services.GetRequiredService<GlobalConfigurationClient>();
            if (!await client.RefreshAsync(cancellationToken))
            {
                throw new InvalidOperationException("A node could not fetch the global configuration.");
            }
        }
    }

    private GlobalConfigurationDocument BuildRegistry(Dictionary<string, Uri> serverAddresses, IReadOnlyList<Uri> routers)
    {
        var certs = Settings.CertificatesDirectory;
        string Hash(string name) => CertificateValidator.Hex(PemFiles.LoadCertificate(certs, name));
        return new GlobalConfigurationDocument
        {
            InstanceIdentifier = Definition.Instance,
            Version = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), // grows across restarts, so cached copies never outrank a new start
            GeneratedAt = DateTimeOffset.UnixEpoch,
            ExpiresAt = DateTimeOffset.UnixEpoch,
            ApprovedCas = [new ApprovedCa("Development Root CA", Convert.ToBase64String(PemFiles.LoadCertificate(certs, DevelopmentPki.RootCa).RawData))],
            ApprovedTsas = Tsa is null ? [] :
            [
                new ApprovedTsa(
                    "Central TSA",
                    $"http://127.0.0.1:{Tsa.Url.Port}{TimestampAuthorityHost.TimestampPath}",
                    Convert.ToBase64String(PemFiles.LoadCertificate(certs, DevelopmentPki.CentralTimestamping).RawData)),
            ],
            Members = Definition.Members,
            SecurityServers = Definition.SecurityServers
                .Where(s => serverAddresses.ContainsKey(s.Id))
                .Select(s => new SecurityServerEntry(s.Id, serverAddresses[s.Id].GetLeftPart(UriPartial.Authority), [Hash(DevelopmentPki.AuthCertificateName(s.Id))], s.Clients))
                .ToList(),
            Routers = routers.Select(r => new RouterEntry(r.GetLeftPart(UriPartial.Authority), [Hash(DevelopmentPki.RouterTls)])).ToList(),
            GlobalGroups = Definition.GlobalGroups,
            Settings = new GlobalSettings { DefaultTimeoutSeconds = Settings.DefaultTimeoutSeconds },
        };
    }

    private void WriteAnchor()
    {
        var certs = Settings.CertificatesDirectory;
        var anchor = new ConfigurationAnchor(
            Definition.Instance,
            new Uri(CentralUrl, CentralHost.ConfigurationPath).ToString(),
            [PemFiles.LoadCertificate(certs, DevelopmentPki.CentralConfigurationSigning).ExportCertificatePem()],
            [PemFiles.LoadCertificate(certs, DevelopmentPki.RootCa).ExportCertificatePem()]);
        File.WriteAllBytes(AnchorPath, JsonSerializer.SerializeToUtf8Bytes(anchor, GlobalConfigurationJson.Default.ConfigurationAnchor));
    }

    private static string Rebase(string url, Dictionary<int, int> ports)
    {
        var uri = new Uri(url);
        return ports.TryGetValue(uri.Port, out var actual) ? new UriBuilder(uri) { Port = actual }.Uri.ToString() : url;
    }

    private async Task<Uri> StartAsync(WebApplication app, CancellationToken cancellationToken)
    {
        await app.StartAsync(cancellationToken);
        _apps.Add(app);
        return new Uri(app.Urls.First());
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in Enumerable.Reverse(_apps))
        {
            try
            {
                using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await app.StopAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
            }

            await app.DisposeAsync();
        }

        _apps.Clear();
        KafkaCluster?.Dispose();
        KafkaCluster = null;
    }
}

public record RunningApp(WebApplication App, Uri Url);

public sealed record RunningSecurityServer(WebApplication App, Uri ClientUrl, Uri ServiceUrl) : RunningApp(App, ClientUrl);
