using Broker.Router.State;
using Broker.Router.State.RateLimiting;
using Microsoft.Extensions.Options;

namespace Broker.Router.Tests;

public sealed class RouterStateOptionsTests
{
    [Fact]
    public void Defaults_AreValid_InMemory_WithoutRateLimit()
    {
        var options = new RouterStateOptions();

        Assert.True(new RouterStateOptionsValidator().Validate(null, options).Succeeded);
        Assert.False(options.UsesRedis);
        Assert.True(options.RateLimit.IsUnlimited);
        Assert.Equal(TimeSpan.FromMinutes(10), options.ReplayWindow);
    }

    [Fact]
    public void Validate_ReportsEveryErrorAtOnce()
    {
        var options = new RouterStateOptions
        {
            ReplayWindow = TimeSpan.Zero,
            HeartbeatInterval = TimeSpan.FromSeconds(10),
            InstanceTtl = TimeSpan.FromSeconds(5),
            RateLimit = new RateLimitRule { RequestsPerSecond = -1 },
            ClientRateLimits = { ["MN/GOV/LAND"] = new RateLimitRule { RequestsPerSecond = 1, Burst = -2 } },
        };

        var result = new RouterStateOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Contains(failures, f => f.Contains("ReplayWindow", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("InstanceTtl", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("State.RateLimit.RequestsPerSecond", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("'MN/GOV/LAND' is not a client subsystem", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Burst", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddRouterState_InvalidOptions_FailOnFirstUse()
    {
        await using var router = RouterStateInstance.Create(new RouterStateOptions { ReplayWindow = TimeSpan.FromMinutes(-1) });

        Assert.Throws<OptionsValidationException>(() => router.ReplayGuard);
    }
}
