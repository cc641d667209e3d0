using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Broker.Cli.Network;
using Broker.Pki.Authority;
using Microsoft.Extensions.Logging;

namespace Broker.Testing;

/// <summary>
/// The sample network of config/network.json started in-process on free loopback ports, with a PKI generated for
/// the test in a temporary directory. Stops and deletes everything on dispose.
/// </summary>
public sealed class TestNetwork : IAsyncDisposable
{
    private TestNetwork(LocalNetwork network, string directory, AdjustableTimeProvider time)
    {
        Network = network;
        Directory = directory;
        Time = time;
        Http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
    }

    public LocalNetwork Network { get; }

    public string Directory { get; }

    public string CertificatesDirectory => Path.Combine(Directory, "certs");

    public AdjustableTimeProvider Time { get; }

    /// <summary>A plain client, as an agency's information system uses.</summary>
    public HttpClient Http { get; }

    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Broker.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("Broker.sln not found above the test binaries.");
        }
    }

    public static async Task<TestNetwork> StartAsync(
        Func<NetworkDefinition, NetworkDefinition>? customize = null, int timeoutSeconds = 30, Action<Broker.Router.RouterOptions>? configureRouter = null,
        Func<LocalNetworkSettings, LocalNetworkSettings>? configure = null)
    {
        var configDirectory = Path.Combine(RepositoryRoot, "config");
        var definition = NetworkDefinition.Load(Path.Combine(configDirectory, "network.json"));
        definition = customize?.Invoke(definition) ?? definition;
        var directory = System.IO.Directory.CreateTempSubdirectory("broker-test-").FullName;
        var time = new AdjustableTimeProvider();
        var settings = new LocalNetworkSettings(configDirectory, Path.Combine(directory, "certs"), Path.Combine(directory, "state"))
        {
            EphemeralPorts = true,
            NodeTime = time,
            MinimumLogLevel = LogLevel.Critical,
            DefaultTimeoutSeconds = timeoutSeconds,
            ConfigureRouter = configureRouter,
        };
        settings = configure?.Invoke(settings) ?? settings;
        var network = await LocalNetwork.StartAsync(definition, settings, CancellationToken.None);
        return new TestNetwork(network, directory, time);
    }

    public Uri ClientUrl(string serverId) => Network.SecurityServers[serverId].ClientUrl;

    public X509Certificate2 LoadWithKey(string name) => PemFiles.LoadWithKey(CertificatesDirectory, name);

    public X509Certificate2 RootCa => PemFiles.LoadCertificate(CertificatesDirectory, DevelopmentPki.RootCa);

    /// <summary>An mTLS client presenting <paramref name="certificate"/>, trusting the test root for the server.</summary>
    public HttpClient MutualTlsClient(X509Certificate2 certificate)
    {
        var root = RootCa;
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(root);
        return new HttpClient(new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [certificate],
                LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
                CertificateChainPolicy = policy,
            },
        })
        { Timeout = TimeSpan.FromSeconds(60) };
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Network.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
