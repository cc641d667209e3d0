using System.Net;
using Broker.Cli.Network;
using Broker.GlobalConfiguration.Client;
using Broker.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Broker.FunctionalTests;

/// <summary>
/// Another registered security server's identity at the provider's address: the router delivers only to the
/// certificate registered to the provider's own security server, so the impostor's TLS handshake is refused and it
/// never sees a request.
/// </summary>
public sealed class ProviderImpersonationTests
{
    private const string LandClient = "MN/GOV/LAND/land-services";
    private const string Mta = "MN/GOV/MTA/ss1";
    private const string Citizen = "/r1/MN/GOV/GASR/civil-registry/citizens/UB99010112";
    private const string TaxClearance = "/r1/MN/GOV/MTA/tax-registry/tax-clearance/UB99010112";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ProviderAddressServedWithAnotherRegisteredServersCertificate_IsRouterNetworkErrorAndImpostorGetsNoRequest()
    {
        await using var network = await TestNetwork.StartAsync(timeoutSeconds: 20);
        using (var before = await SendAsync(network, Citizen))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode); // the router has a pooled connection to GASR's security server
        }

        // MTA's authentication certificate: approved CA, valid, registered in the global configuration — to MTA, not GASR
        using var mtaCertificate = network.LoadWithKey(DevelopmentPki.AuthCertificateName(Mta));
        var routerConfiguration = network.Network.Router.App.Services.GetRequiredService<IGlobalConfigurationProvider>();
        Assert.Equal(Mta, routerConfiguration.Current?.FindServerByAuthCertificate(mtaCertificate)?.Id);

        var gasr = network.Network.SecurityServers[SampleNetworkFixture.Gasr];
        await gasr.App.StopAsync(Cancel);
        await using var impostor = await FakeProviderServer.StartAsync(gasr.ServiceUrl.Port, mtaCertificate, FakeProviderBehavior.Answer, Cancel);

        using (var response = await SendAsync(network, Citizen))
        {
            await FaultAssert.IsFaultAsync(response, HttpStatusCode.BadGateway, "Server.Router.NetworkError");
        }

        Assert.True(impostor.Connections > 0, "the router never connected to the provider's address"); // the impostor's certificate was refused, not a closed port
        Assert.Equal(0, impostor.Requests);

        using (var other = await SendAsync(network, TaxClearance))
        {
            Assert.Equal(HttpStatusCode.OK, other.StatusCode); // the same certificate at MTA's own address is delivered to
        }

        Assert.Equal(0, impostor.Requests);
    }

    private static async Task<HttpResponseMessage> SendAsync(TestNetwork network, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(network.ClientUrl(SampleNetworkFixture.Land), path));
        request.Headers.TryAddWithoutValidation("X-Road-Client", LandClient);
        return await network.Http.SendAsync(request, Cancel);
    }
}
