using System.Net;
using Broker.Testing;

namespace Broker.FunctionalTests;

/// <summary>The provider's security server stops: the router answers its network fault at once, other providers carry on.</summary>
public sealed class ProviderDownTests
{
    private const string LandClient = "MN/GOV/LAND/land-services";
    private const string Citizen = "/r1/MN/GOV/GASR/civil-registry/citizens/UB99010112";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ProviderSecurityServerStopped_IsRouterNetworkErrorNotTimeout()
    {
        // a deadline far above a refused connection; a timeout fault here would mean the router waited instead of failing fast
        await using var network = await TestNetwork.StartAsync(timeoutSeconds: 20);
        using (var before = await SendAsync(network, Citizen))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode); // the router now holds a pooled connection to the provider
        }

        await network.Network.SecurityServers[SampleNetworkFixture.Gasr].App.StopAsync(Cancel);

        using (var response = await SendAsync(network, Citizen))
        {
            await FaultAssert.IsFaultAsync(response, HttpStatusCode.BadGateway, "Server.Router.NetworkError");
        }

        using (var other = await SendAsync(network, "/r1/MN/GOV/MTA/tax-registry/tax-clearance/UB99010112"))
        {
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(TestNetwork network, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(network.ClientUrl(SampleNetworkFixture.Land), path));
        request.Headers.TryAddWithoutValidation("X-Road-Client", LandClient);
        return await network.Http.SendAsync(request, Cancel);
    }
}
