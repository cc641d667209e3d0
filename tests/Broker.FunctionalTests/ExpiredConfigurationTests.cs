using System.Net;
using System.Text;
using Broker.Cli.Network;
using Broker.GlobalConfiguration.Client;
using Broker.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Broker.FunctionalTests;

/// <summary>
/// Nodes fail closed once their global configuration expires (DESIGN §3): a network of its own whose node clock is
/// moved past <c>expiresAt</c> while the central server keeps real time, so no fresh configuration can help.
/// </summary>
public sealed class ExpiredConfigurationTests
{
    private const string LandClient = "MN/GOV/LAND/land-services";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConfigurationExpired_ClientProxyRouterAndProviderAllRefuseAndServiceNotCalled()
    {
        await using var probe = await RecordingService.StartAsync();
        await using var network = await TestNetwork.StartAsync(d => d.WithProbe(probe.Url), timeoutSeconds: 10);
        var land = network.ClientUrl(SampleNetworkFixture.Land);
        using (var before = await GetCitizenAsync(network))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        network.Time.Advance(TimeSpan.FromMinutes(network.Network.Definition.ConfigurationValidityMinutes + 1));
        await network.Network.RefreshAllAsync(Cancel); // what the nodes can fetch now is still expired by their clock
        foreach (var node in network.Network.SecurityServers.Values.Select(s => s.App).Append(network.Network.Router.App))
        {
            var current = node.Services.GetRequiredService<GlobalConfigurationClient>().Current;
            Assert.NotNull(current);
            Assert.True(current.IsExpired(network.Time.GetUtcNow()));
        }

        // the consumer's information system
        using (var response = await GetCitizenAsync(network))
        {
            await FaultAssert.IsFaultAsync(response, HttpStatusCode.InternalServerError, "Server.ClientProxy.OutdatedGlobalConf");
        }

        using (var health = await network.Http.GetAsync(new Uri(land, "/health"), Cancel))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        }

        // a correctly signed request straight to the router, from LAND's security server
        var marker = Guid.NewGuid().ToString("N");
        var envelope = SignedProbe(network, marker);
        using (var client = network.MutualTlsClient(DevelopmentPki.AuthCertificateName(SampleNetworkFixture.Land)))
        using (var response = await network.PostEnvelopeAsync(client, network.Network.RouterUrl, envelope, Cancel))
        {
            await FaultAssert.IsFaultAsync(response, HttpStatusCode.InternalServerError, "Server.Router.OutdatedGlobalConf");
        }

        // and straight to the provider, as the router
        using (var client = network.MutualTlsClient(DevelopmentPki.RouterTls))
        using (var response = await network.PostEnvelopeAsync(client, network.ServiceUrl(SampleNetworkFixture.Gasr), envelope, Cancel))
        {
            await FaultAssert.IsFaultAsync(response, HttpStatusCode.InternalServerError, "Server.ServerProxy.OutdatedGlobalConf");
        }

        Assert.False(probe.Saw(marker));
    }

    private static async Task<HttpResponseMessage> GetCitizenAsync(TestNetwork network)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(network.ClientUrl(SampleNetworkFixture.Land), "/r1/MN/GOV/GASR/civil-registry/citizens/UB99010112"));
        request.Headers.TryAddWithoutValidation("X-Road-Client", LandClient);
        return await network.Http.SendAsync(request, Cancel);
    }

    private static byte[] SignedProbe(TestNetwork network, string marker)
    {
        var head = HopEnvelopes.RequestHead("POST", ProbeService.Path(marker), LandClient, ("Content-Type", "application/json"), ("x-road-id", "MN-" + marker));
        using var key = network.SigningKey("MN/GOV/LAND");
        return HopEnvelopes.Sign(key, head, Encoding.UTF8.GetBytes($"{{\"marker\":\"{marker}\"}}"), network.Time);
    }
}
