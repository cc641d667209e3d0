using System.Collections.Concurrent;
using System.Net;
using Broker.Testing;

namespace Broker.FunctionalTests;

/// <summary>
/// Two router instances on one mock Kafka cluster (three brokers) and one redis-server; the security servers use them in turn. One instance
/// is stopped abruptly under load: nothing acknowledged is lost, nothing ends silently, traffic carries on.
/// </summary>
public sealed class KafkaRouterInstancesTests
{
    private const string LandClient = "MN/GOV/LAND/land-services";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OneOfTwoRouterInstancesStoppedUnderLoad_AcknowledgedExchangesAreAllDeliveredAndTheRestFaultClearly()
    {
        await using var probe = await RecordingService.StartAsync();
        await using var redis = await RedisServer.StartAsync();
        await using var network = await TestNetwork.StartAsync(
            definition => definition.WithProbe(probe.Url), timeoutSeconds: 15,
            configure: settings => settings with { Transport = "kafka", Kafka = "mock", RouterInstances = 2, Redis = redis.ConnectionString });
        Assert.Equal(2, network.Network.Registry.Routers.Count);

        var outcomes = new ConcurrentDictionary<string, (HttpStatusCode Status, string? Error)>();
        var sent = 0;
        var acknowledged = 0;
        using var stop = new CancellationTokenSource();
        async Task LoopAsync(int client)
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var marker = $"inst-{client}-{i}-";
                Interlocked.Increment(ref sent);
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(network.ClientUrl(SampleNetworkFixture.Land), ProbeService.Path(marker)));
                request.Headers.TryAddWithoutValidation("X-Road-Client", LandClient);
                using var response = await network.Http.SendAsync(request, Cancel);
                outcomes[marker] = (response.StatusCode, response.Headers.TryGetValues("X-Road-Error", out var codes) ? codes.First() : null);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref acknowledged);
                }
            }
        }

        var loops = Enumerable.Range(0, 8).Select(LoopAsync).ToArray();
        await WaitForAsync(() => Volatile.Read(ref acknowledged) >= 40);

        // the second instance goes away without a graceful drain (its connections and deliveries are cut)
        using (var abrupt = new CancellationTokenSource())
        {
            await abrupt.CancelAsync();
            try
            {
                await network.Network.Routers[1].App.StopAsync(abrupt.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        var atKill = Volatile.Read(ref acknowledged);
        await WaitForAsync(() => Volatile.Read(ref acknowledged) >= atKill + 40); // traffic carries on through the other instance
        await stop.CancelAsync();
        await Task.WhenAll(loops);

        Assert.Equal(sent, outcomes.Count); // every request came back: an answer or a fault, none hung
        foreach (var (marker, (status, error)) in outcomes)
        {
            if (status == HttpStatusCode.OK)
            {
                Assert.True(probe.Saw(marker), $"{marker} was acknowledged but never reached the provider");
            }
            else
            {
                Assert.False(string.IsNullOrEmpty(error), $"{marker} ended with HTTP {(int)status} and no X-Road-Error");
            }
        }

        // whatever the provider received was asked for by the consumer (no invented or misrouted exchange)
        Assert.All(probe.Requests, r => Assert.Contains(outcomes.Keys, marker => r.Contains(marker)));
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, "the load did not progress within 60 s");
            await Task.Delay(50, Cancel);
        }
    }
}
