using System.Security.Cryptography.X509Certificates;
using Broker.Cli.Network;
using Broker.Cryptography.Timestamping;
using Broker.GlobalConfiguration.Client;
using Broker.GlobalConfiguration.Model;
using Broker.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Broker.FunctionalTests;

/// <summary>
/// The sample network (its own, since the outage test stops the TSA) and a <see cref="TimestampClient"/>. The TSA's
/// URL and certificate are taken from the global configuration a security server fetched, as a node would.
/// </summary>
public sealed class TimestampNetworkFixture : IAsyncLifetime
{
    public TestNetwork Network { get; private set; } = null!;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    public TimestampClient Client { get; private set; } = null!;

    /// <summary>The TSA as the land office's security server sees it in its global configuration.</summary>
    public TimestampAuthorityEntry Tsa => Configuration.TimestampAuthorities.Single();

    public IReadOnlyList<X509Certificate2> ApprovedTsas => Configuration.TimestampAuthorityCertificates;

    public GlobalConfigurationSnapshot Configuration =>
        Network.Network.SecurityServers[SampleNetworkFixture.Land].App.Services.GetRequiredService<IGlobalConfigurationProvider>().Current
        ?? throw new InvalidOperationException("The security server holds no global configuration.");

    public string RootCaPem => Path.Combine(Network.CertificatesDirectory, DevelopmentPki.RootCa + ".pem");

    public string TsaPem => Path.Combine(Network.CertificatesDirectory, DevelopmentPki.CentralTimestamping + ".pem");

    public async ValueTask InitializeAsync()
    {
        Network = await TestNetwork.StartAsync();
        Client = new TimestampClient(Http);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Network.DisposeAsync();
    }
}
