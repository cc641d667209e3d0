using Broker.Router.State.Replay;
using static Broker.Router.Tests.RouterStateInstance;

using Broker.Testing;

namespace Broker.Router.Tests;

public sealed class ReplayGuardTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private string? Store(string store) => store == "redis" ? redis.Server.ConnectionString : null;

    public static TheoryData<string> Stores => ["memory", "redis"];

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task TryAccept_SameIdSameClient_SecondIsDuplicate(string store)
    {
        await using var router = Create(Options(Store(store)));
        var id = "MN-" + Guid.NewGuid();

        Assert.Equal(ReplayVerdict.Accepted, await router.ReplayGuard.TryAcceptAsync(Land, id, Cancel));
        Assert.Equal(ReplayVerdict.Duplicate, await router.ReplayGuard.TryAcceptAsync(Land, id, Cancel));
        Assert.Equal(ReplayVerdict.Duplicate, await router.ReplayGuard.TryAcceptAsync(Land, id, Cancel));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task TryAccept_SameIdOtherClient_IsAccepted(string store)
    {
        await using var router = Create(Options(Store(store)));
        var id = "land-request-42";

        Assert.Equal(ReplayVerdict.Accepted, await router.ReplayGuard.TryAcceptAsync(Land, id, Cancel));
        Assert.Equal(ReplayVerdict.Accepted, await router.ReplayGuard.TryAcceptAsync(Portal, id, Cancel));
        Assert.Equal(ReplayVerdict.Accepted, await router.ReplayGuard.TryAcceptAsync(Land, id + "x", Cancel));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task TryAccept_VeryLongId_IsGuardedLikeAnyOther(string store)
    {
        await using var router = Create(Options(Store(store)));
        var id = new string('я', 20_000);

        Assert.Equal(ReplayVerdict.Accepted, await router.ReplayGuard.TryAcceptAsync(Land, id, Cancel));
        Assert.Equal(ReplayVerdict.Duplicate, await router.ReplayGuard.TryAcceptAsync(Land, id, Cancel));
        Assert.Equal(ReplayVerdict.Accepted, await router.ReplayGuard.TryAcceptAsync(Land, id[..^1], Cancel));
    }

    [Fact]
    public async Task InMemory_AfterWindow_IdIsAcceptedAgain()
    {
        var time = new ManualTimeProvider();
        await using var router = Create(Options(null, o => o.ReplayWindow = TimeSpan.FromMinutes(10)), time);
        Assert.Equal(ReplayVerdict.Accepted, await router.ReplayGuard.TryAcceptAsync(Land, "id-1", Cancel));

        time.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(ReplayVerdict.Duplicate, await router.ReplayGuard.TryAcceptAsync(Land, "id-1", Cancel));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(ReplayVerdict.Accepted, await router.ReplayGuard.TryAcceptAsync(Land, "id-1", Cancel));
        Assert.Equal(ReplayVerdict.Duplicate, await router.ReplayGuard.TryAcceptAsync(Land, "id-1", Cancel)); // a new window began
    }

    [Fact]
    public async Task InMemory_Full_ForgetsOldestFirst()
    {
        var time = new ManualTimeProvider();
        await using var router = Create(Options(null, o => o.ReplayMemoryCapacity = 2), time);
        foreach (var id in new[] { "a", "b", "c" })
        {
            Assert.Equal(ReplayVerdict.Accepted, await router.ReplayGuard.TryAcceptAsync(Land, id, Cancel));
            time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(ReplayVerdict.Duplicate, await router.ReplayGuard.TryAcceptAsync(Land, "c", Cancel));
        Assert.Equal(ReplayVerdict.Duplicate, await router.ReplayGuard.TryAcceptAsync(Land, "b", Cancel));
        Assert.Equal(ReplayVerdict.Accepted, await router.ReplayGuard.TryAcceptAsync(Land, "a", Cancel)); // forgotten early: the bound holds
    }

    [Fact]
    public async Task Redis_AfterWindow_IdIsAcceptedAgain()
    {
        await using var router = Create(Options(redis.Server.ConnectionString, o => o.ReplayWindow = TimeSpan.FromMilliseconds(300)));
        Assert.Equal(ReplayVerdict.Accepted, await router.ReplayGuard.TryAcceptAsync(Land, "id-1", Cancel));
        Assert.Equal(ReplayVerdict.Duplicate, await router.ReplayGuard.TryAcceptAsync(Land, "id-1", Cancel));

        await EventuallyAsync(
            async () => await router.ReplayGuard.TryAcceptAsync(Land, "id-1", Cancel) == ReplayVerdict.Accepted,
            "the id expired from Redis");
    }

    [Fact]
    public async Task Redis_TwoRouterInstances_IdTakenAtOneIsRefusedAtTheOther()
    {
        var options = Options(redis.Server.ConnectionString);
        await using var first = Create(options);
        await using var second = Create(options);

        Assert.Equal(ReplayVerdict.Accepted, await first.ReplayGuard.TryAcceptAsync(Land, "shared-1", Cancel));
        Assert.Equal(ReplayVerdict.Duplicate, await second.ReplayGuard.TryAcceptAsync(Land, "shared-1", Cancel));
        Assert.Equal(ReplayVerdict.Accepted, await second.ReplayGuard.TryAcceptAsync(Land, "shared-2", Cancel));
        Assert.Equal(ReplayVerdict.Duplicate, await first.ReplayGuard.TryAcceptAsync(Land, "shared-2", Cancel));
    }

    [Fact]
    public async Task Redis_TwoRouterInstancesRacing_ExactlyOneAccepts()
    {
        var options = Options(redis.Server.ConnectionString);
        await using var first = Create(options);
        await using var second = Create(options);

        var verdicts = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            (i % 2 == 0 ? first : second).ReplayGuard.TryAcceptAsync(Land, "raced", Cancel).AsTask()));

        Assert.Single(verdicts, v => v == ReplayVerdict.Accepted);
        Assert.Equal(39, verdicts.Count(v => v == ReplayVerdict.Duplicate));
    }
}
