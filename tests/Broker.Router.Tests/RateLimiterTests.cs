using Broker.Router.State.RateLimiting;
using static Broker.Router.Tests.RouterStateInstance;

using Broker.Testing;

namespace Broker.Router.Tests;

public sealed class RateLimiterTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static Action<Broker.Router.State.RouterStateOptions> Limit(double perSecond, int burst) =>
        o => o.RateLimit = new RateLimitRule { RequestsPerSecond = perSecond, Burst = burst };

    [Fact]
    public async Task InMemory_BurstAllowed_NextLimited_RefillsWithTime()
    {
        var time = new ManualTimeProvider();
        await using var router = Create(Options(null, Limit(perSecond: 2, burst: 3)), time);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(RateLimitOutcome.Allowed, (await router.RateLimiter.AcquireAsync(Land, Cancel)).Outcome);
        }

        var refused = await router.RateLimiter.AcquireAsync(Land, Cancel);
        Assert.Equal(RateLimitOutcome.Limited, refused.Outcome);
        Assert.Equal(TimeSpan.FromMilliseconds(500), refused.RetryAfter);

        time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(RateLimitOutcome.Allowed, (await router.RateLimiter.AcquireAsync(Land, Cancel)).Outcome);
        Assert.Equal(RateLimitOutcome.Limited, (await router.RateLimiter.AcquireAsync(Land, Cancel)).Outcome);

        time.Advance(TimeSpan.FromMinutes(1)); // refills to the burst, not beyond
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(RateLimitOutcome.Allowed, (await router.RateLimiter.AcquireAsync(Land, Cancel)).Outcome);
        }

        Assert.Equal(RateLimitOutcome.Limited, (await router.RateLimiter.AcquireAsync(Land, Cancel)).Outcome);
    }

    [Fact]
    public async Task InMemory_ClientsHaveOwnBucketsAndOverrides()
    {
        var time = new ManualTimeProvider();
        await using var router = Create(Options(null, o =>
        {
            o.RateLimit = new RateLimitRule { RequestsPerSecond = 1, Burst = 1 };
            o.ClientRateLimits["MN/GOV/EMONGOLIA/portal-backend"] = new RateLimitRule { RequestsPerSecond = 0 }; // exempt
        }), time);

        Assert.Equal(RateLimitOutcome.Allowed, (await router.RateLimiter.AcquireAsync(Land, Cancel)).Outcome);
        Assert.Equal(RateLimitOutcome.Limited, (await router.RateLimiter.AcquireAsync(Land, Cancel)).Outcome);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(RateLimitOutcome.Allowed, (await router.RateLimiter.AcquireAsync(Portal, Cancel)).Outcome);
        }
    }

    [Fact]
    public async Task NoLimitConfigured_EverythingAllowed()
    {
        await using var router = Create(Options(redis.Server.ConnectionString));
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(RateLimitOutcome.Allowed, (await router.RateLimiter.AcquireAsync(Land, Cancel)).Outcome);
        }
    }

    [Fact]
    public async Task Redis_BurstAllowed_NextLimited_Refills()
    {
        await using var router = Create(Options(redis.Server.ConnectionString, Limit(perSecond: 5, burst: 3)));

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(RateLimitOutcome.Allowed, (await router.RateLimiter.AcquireAsync(Land, Cancel)).Outcome);
        }

        var refused = await router.RateLimiter.AcquireAsync(Land, Cancel);
        Assert.Equal(RateLimitOutcome.Limited, refused.Outcome);
        Assert.InRange(refused.RetryAfter, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(200));
        Assert.Equal(RateLimitOutcome.Allowed, (await router.RateLimiter.AcquireAsync(Portal, Cancel)).Outcome); // its own bucket

        await EventuallyAsync(
            async () => (await router.RateLimiter.AcquireAsync(Land, Cancel)).Outcome == RateLimitOutcome.Allowed,
            "a token was refilled");
    }

    [Fact]
    public async Task Redis_TwoRouterInstances_ShareOneBucket()
    {
        var options = Options(redis.Server.ConnectionString, Limit(perSecond: 0.01, burst: 4));
        await using var first = Create(options);
        await using var second = Create(options);

        var outcomes = new List<RateLimitOutcome>();
        for (var i = 0; i < 6; i++)
        {
            outcomes.Add((await (i % 2 == 0 ? first : second).RateLimiter.AcquireAsync(Land, Cancel)).Outcome);
        }

        Assert.Equal(4, outcomes.Count(o => o == RateLimitOutcome.Allowed));
        Assert.Equal([RateLimitOutcome.Limited, RateLimitOutcome.Limited], outcomes[4..]);
    }
}
