using System.Net;
using Broker.Testing;

namespace Broker.FunctionalTests;

/// <summary>
/// Deferred delivery (Broker's extension, <c>X-Broker-Deferrable: true</c>) on the Kafka transport: while the provider's
/// security server is down, requests are accepted (202 with their id) and kept in Kafka; when it is back they are
/// delivered once each, and the client fetches each signed answer by its id.
/// </summary>
public sealed class DeferredDeliveryTests
{
    private const string LandClient = "MN/GOV/LAND/land-services";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ProviderDown_HundredDeferredRequests_AllDeliveredOnceAfterItReturnsAndFetchedByTheirIds()
    {
        await using var probe = await RecordingService.StartAsync();
        await using var network = await TestNetwork.StartAsync(
            definition => definition.WithProbe(probe.Url), timeoutSeconds: 10,
            configure: settings => settings with { Transport = "kafka", Kafka = "mock" },
            configureRouter: router => router.Kafka.DeferredRetryInterval = TimeSpan.FromMilliseconds(200));
        using (var warm = await SendAsync(network, ProbeService.Path("warm-up"), deferrable: false))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        await network.Network.SecurityServers[SampleNetworkFixture.Gasr].App.StopAsync(Cancel);

        // not deferrable: the usual fault; deferrable: accepted with its id
        using (var plain = await SendAsync(network, ProbeService.Path("not-deferred"), deferrable: false))
        {
            await FaultAssert.IsFaultAsync(plain, HttpStatusCode.BadGateway, "Server.Router.NetworkError");
        }

        var ids = new Dictionary<string, string>();
        for (var i = 0; i < 100; i++)
        {
            var marker = $"deferred-{i}-";
            using var accepted = await SendAsync(network, ProbeService.Path(marker), deferrable: true);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            var id = accepted.Headers.GetValues("X-Road-Id").Single();
            Assert.Equal("/deferred/" + Uri.EscapeDataString(id), accepted.Headers.Location?.OriginalString);
            ids[marker] = id;
        }

        Assert.DoesNotContain(probe.Requests, r => r.Contains("deferred-"));
        using (var early = await FetchAsync(network, ids["deferred-0-"]))
        {
            Assert.Equal(HttpStatusCode.Accepted, early.StatusCode); // kept, not delivered yet
        }

        await network.Network.RestartSecurityServerAsync(SampleNetworkFixture.Gasr, Cancel);

        foreach (var (marker, id) in ids)
        {
            var until = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                using var fetched = await FetchAsync(network, id);
                if (fetched.StatusCode == HttpStatusCode.OK)
                {
                    // verified by the consumer's security server against the request it deferred
                    Assert.Equal(id, fetched.Headers.GetValues("X-Road-Id").Single());
                    Assert.True(fetched.Headers.Contains("X-Road-Request-Hash"));
                    break;
                }

                Assert.Equal(HttpStatusCode.Accepted, fetched.StatusCode);
                Assert.True(DateTime.UtcNow < until, $"{marker} was not delivered within 60 s of the provider's return");
                await Task.Delay(100, Cancel);
            }

            Assert.Single(probe.Requests, r => r.Contains(marker)); // delivered exactly once
        }

        // an id this client never deferred is not found
        using var unknown = await FetchAsync(network, "MN-not-a-deferred-request");
        await FaultAssert.IsFaultAsync(unknown, HttpStatusCode.NotFound, "Server.ClientProxy.UnknownDeferredRequest");
    }

    private static async Task<HttpResponseMessage> SendAsync(TestNetwork network, string path, bool deferrable)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(network.ClientUrl(SampleNetworkFixture.Land), path));
        request.Headers.TryAddWithoutValidation("X-Road-Client", LandClient);
        if (deferrable)
        {
            request.Headers.TryAddWithoutValidation("X-Broker-Deferrable", "true");
        }

        return await network.Http.SendAsync(request, Cancel);
    }

    private static async Task<HttpResponseMessage> FetchAsync(TestNetwork network, string id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(network.ClientUrl(SampleNetworkFixture.Land), "/deferred/" + Uri.EscapeDataString(id)));
        request.Headers.TryAddWithoutValidation("X-Road-Client", LandClient);
        return await network.Http.SendAsync(request, Cancel);
    }
}
