using Broker.Testing;

namespace Broker.FunctionalTests;

/// <summary>
/// Two router instances on one mock Kafka cluster (three brokers) and one redis-server; the security servers use them in turn. One instance
/// is stopped abruptly under load: nothing acknowledged is lost, nothing ends silently, traffic carries on.
/// </summary>
public sealed class KafkaRouterInstancesTests
{
    [Fact]
    public async Task OneOfTwoRouterInstancesStoppedUnderLoad_AcknowledgedExchangesAreAllDeliveredAndTheRestFaultClearly()
    {
        await using var probe = await RecordingService.StartAsync();
        await using var redis = await RedisServer.StartAsync();
        await using var network = await TestNetwork.StartAsync(
            definition => definition.WithProbe(probe.Url), timeoutSeconds: 15,
            configure: settings => settings with { Transport = "kafka", Kafka = "mock", RouterInstances = 2, Redis = redis.ConnectionString });
        Assert.Equal(2, network.Network.Registry.Routers.Count);

        var load = RouterFailoverLoad.Start(network, "inst");
        await load.WaitForAcknowledgedAsync(40);

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

        await load.WaitForAcknowledgedAsync(load.Acknowledged + 40); // traffic carries on through the other instance
        await load.StopAndAssertNothingLostAsync(probe);
    }
}
