using System.Net;
using System.Text;
using System.Text.Json;
using Broker.Cli.Network;
using Broker.Router;
using Broker.Router.State.RateLimiting;
using Broker.Testing;

namespace Broker.FunctionalTests;

/// <summary>
/// The router's state seen from an agency's information system, through the consumer's security server: a repeated
/// <c>X-Road-Id</c> is refused and not delivered again, a client over its rate limit is refused, and operators can list
/// the router instances. In-memory state (no Redis): the sample network has one router.
/// </summary>
public sealed class RouterStateTests(SampleNetworkFixture fixture) : IClassFixture<SampleNetworkFixture>
{
    /// <summary>MTA's subsystem is a client nowhere else in these tests: it gets a bucket of one request, refilled hourly.</summary>
    internal const string RateLimitedClient = "MN/GOV/MTA/tax-registry";
    private const string LandClient = "MN/GOV/LAND/land-services";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>The router options of <see cref="SampleNetworkFixture"/> that these tests rely on.</summary>
    internal static void ConfigureRouter(RouterOptions options) =>
        options.State.ClientRateLimits[RateLimitedClient] = new RateLimitRule { RequestsPerSecond = 1.0 / 3600, Burst = 1 };

    [Fact]
    public async Task Post_SameXRoadIdTwice_SecondIsDuplicateMessageIdAndServiceCalledOnce()
    {
        var marker = Guid.NewGuid().ToString("N");
        var id = "land-" + marker;

        using var first = await SendAsync(LandClient, SampleNetworkFixture.Land, ProbeService.Path(marker), id, marker);
        using var second = await SendAsync(LandClient, SampleNetworkFixture.Land, ProbeService.Path(marker), id, marker);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(id, first.Headers.GetValues("X-Road-Id").Single());
        await FaultAssert.IsFaultAsync(second, HttpStatusCode.Conflict, "Server.Router.DuplicateMessageId");
        Assert.Single(fixture.Probe.Requests, r => r.Contains(marker));
    }

    [Fact]
    public async Task Post_NoXRoadIdTwice_BothDelivered()
    {
        var marker = Guid.NewGuid().ToString("N");

        using var first = await SendAsync(LandClient, SampleNetworkFixture.Land, ProbeService.Path(marker), null, marker);
        using var second = await SendAsync(LandClient, SampleNetworkFixture.Land, ProbeService.Path(marker), null, marker);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode); // the security server gives each its own id
        Assert.Equal(2, fixture.Probe.Requests.Count(r => r.Contains(marker)));
    }

    [Fact]
    public async Task Get_ClientOverItsRateLimit_IsRateLimited()
    {
        const string path = "/r1/MN/GOV/GASR/civil-registry/citizens/UB99010112";
        using var first = await SendAsync(RateLimitedClient, "MN/GOV/MTA/ss1", path, null, null);
        using var second = await SendAsync(RateLimitedClient, "MN/GOV/MTA/ss1", path, null, null);

        // the first passed the router (MTA may not read citizens: the provider's refusal), the second did not
        await FaultAssert.IsFaultAsync(first, HttpStatusCode.Forbidden, "Server.ServerProxy.AccessDenied");
        await FaultAssert.IsFaultAsync(second, HttpStatusCode.TooManyRequests, "Server.Router.RateLimited");
    }

    [Fact]
    public async Task Router_GetInstances_ListsItself()
    {
        using var client = fixture.Network.MutualTlsClient(DevelopmentPki.RouterTls);

        using var response = await client.GetAsync(new Uri(fixture.Network.Network.RouterUrl, "/instances"), Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel));
        var self = json.RootElement.GetProperty("self").GetString();
        Assert.Equal("memory", json.RootElement.GetProperty("store").GetString());
        var instance = Assert.Single(json.RootElement.GetProperty("instances").EnumerateArray());
        Assert.Equal(self, instance.GetProperty("instanceId").GetString());
        Assert.Equal(fixture.Network.Network.RouterUrl.Port, new Uri(instance.GetProperty("address").GetString()!).Port);
    }

    private async Task<HttpResponseMessage> SendAsync(string client, string server, string path, string? id, string? marker)
    {
        using var request = new HttpRequestMessage(marker is null ? HttpMethod.Get : HttpMethod.Post, new Uri(fixture.Network.ClientUrl(server), path));
        request.Headers.TryAddWithoutValidation("X-Road-Client", client);
        if (id is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Road-Id", id);
        }

        if (marker is not null)
        {
            request.Content = new StringContent($"{{\"marker\":\"{marker}\"}}", Encoding.UTF8, "application/json");
        }

        return await fixture.Network.Http.SendAsync(request, Cancel);
    }
}
