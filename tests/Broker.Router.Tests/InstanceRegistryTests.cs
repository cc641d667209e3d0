using Broker.Router.State.Instances;
using Microsoft.Extensions.Hosting;
using static Broker.Router.Tests.RouterStateInstance;

using Broker.Testing;

namespace Broker.Router.Tests;

public sealed class InstanceRegistryTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static RouterInstance Instance(string id, string address) => new(id, address, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);

    [Fact]
    public async Task Redis_TwoInstances_SeeEachOther()
    {
        var options = Options(redis.Server.ConnectionString, o => o.InstanceTtl = TimeSpan.FromSeconds(30));
        await using var first = Create(options);
        await using var second = Create(options);

        Assert.True(await first.Registry.HeartbeatAsync(Instance("router-a", "https://10.0.0.1:4401"), Cancel));
        Assert.True(await second.Registry.HeartbeatAsync(Instance("router-b", "https://10.0.0.2:4401"), Cancel));

        foreach (var router in new[] { first, second })
        {
            var listed = await router.Registry.ListAsync(Cancel);
            Assert.NotNull(listed);
            Assert.Equal(["router-a", "router-b"], listed.Select(i => i.InstanceId).Order());
            Assert.Equal("https://10.0.0.2:4401", listed.Single(i => i.InstanceId == "router-b").Address);
        }
    }

    [Fact]
    public async Task Redis_InstanceStopsHeartbeating_IsUnlistedAfterTtl()
    {
        var options = Options(redis.Server.ConnectionString, o =>
        {
            o.InstanceTtl = TimeSpan.FromMilliseconds(400);
            o.HeartbeatInterval = TimeSpan.FromMilliseconds(100);
        });
        await using var alive = Create(options);
        await using var dying = Create(options);
        Assert.True(await dying.Registry.HeartbeatAsync(Instance("dying", "https://10.0.0.9:4401"), Cancel));

        await RouterStateInstance.EventuallyAsync(async () =>
        {
            Assert.True(await alive.Registry.HeartbeatAsync(Instance("alive", "https://10.0.0.1:4401"), Cancel));
            var listed = await alive.Registry.ListAsync(Cancel);
            Assert.NotNull(listed);
            Assert.Contains(listed, i => i.InstanceId == "alive");
            return listed.All(i => i.InstanceId != "dying");
        }, "the silent instance was unlisted");
    }

    [Fact]
    public async Task HeartbeatService_RegistersThisInstance_AndRemovesItOnStop()
    {
        var options = Options(redis.Server.ConnectionString, o =>
        {
            o.InstanceId = "router-under-test";
            o.AdvertisedAddress = "https://127.0.0.1:4401";
            o.HeartbeatInterval = TimeSpan.FromMilliseconds(100);
        });
        await using var router = Create(options);
        await using var observer = Create(options);
        var service = router.Get<IEnumerable<IHostedService>>().OfType<InstanceHeartbeatService>().Single();

        await service.StartAsync(Cancel);
        await EventuallyAsync(async () => (await observer.Registry.ListAsync(Cancel))!.Any(i => i.InstanceId == "router-under-test"), "registered");
        var entry = (await observer.Registry.ListAsync(Cancel))!.Single();
        Assert.Equal("https://127.0.0.1:4401", entry.Address);
        Assert.True(entry.LastHeartbeat >= entry.StartedAt);

        await service.StopAsync(Cancel);
        Assert.Empty((await observer.Registry.ListAsync(Cancel))!);
    }

    [Fact]
    public async Task InMemory_ListsOnlyItself()
    {
        await using var router = Create(Options(null, o => o.InstanceId = "solo"));
        var service = router.Get<IEnumerable<IHostedService>>().OfType<InstanceHeartbeatService>().Single();

        await service.StartAsync(Cancel);
        await EventuallyAsync(async () => (await router.Registry.ListAsync(Cancel))!.Count == 1, "registered");

        Assert.Equal("solo", (await router.Registry.ListAsync(Cancel))!.Single().InstanceId);
        Assert.Equal("memory", router.Registry.Store);
        await service.StopAsync(Cancel);
    }
}
