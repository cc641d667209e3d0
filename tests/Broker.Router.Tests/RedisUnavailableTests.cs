using System.Net;
using System.Net.Sockets;
using Broker.Protocol.Faults;
using Broker.Router.State.RateLimiting;
using Broker.Router.State.Replay;
using static Broker.Router.Tests.RouterStateInstance;

using Broker.Testing;

namespace Broker.Router.Tests;

/// <summary>
/// Redis configured but not answering: refused connections, a server that accepts and never answers, a server that
/// dies under the router. The state fails closed with <c>Server.Router.StateUnavailable</c> instead of letting an
/// exchange through unguarded or holding it; the test timeouts are only a net against hanging.
/// </summary>
public sealed class RedisUnavailableTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static Action<Broker.Router.State.RouterStateOptions> Limited =>
        o =>
        {
            o.RedisTimeoutMilliseconds = 300;
            o.RateLimit = new RateLimitRule { RequestsPerSecond = 100, Burst = 100 };
        };

    [Fact(Timeout = 15_000)]
    public async Task NothingListening_ReplayGuardAndRateLimiterUnavailable_AdmissionIsStateUnavailable()
    {
        await using var router = Create(Options($"127.0.0.1:{RedisServer.FreePort()}", Limited));

        Assert.Equal(ReplayVerdict.Unavailable, await router.ReplayGuard.TryAcceptAsync(Land, "id-1", Cancel));
        Assert.Equal(RateLimitOutcome.Unavailable, (await router.RateLimiter.AcquireAsync(Land, Cancel)).Outcome);
        Assert.Null(await router.Registry.ListAsync(Cancel));
        Assert.False(await router.Registry.HeartbeatAsync(new("a", "b", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow), Cancel));

        var fault = await router.Admission.AdmitAsync(Land, "id-1", Cancel);
        Assert.NotNull(fault);
        Assert.Equal(FaultCodes.RouterStateUnavailable, fault.Code);
        Assert.Equal(503, fault.HttpStatus);
    }

    [Fact(Timeout = 15_000)]
    public async Task AcceptsButNeverAnswers_ReplayGuardGivesUpUnavailable()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start(); // the kernel completes connections; nobody ever reads or writes
        await using var router = Create(Options($"127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}", Limited));

        Assert.Equal(ReplayVerdict.Unavailable, await router.ReplayGuard.TryAcceptAsync(Land, "id-1", Cancel));
        Assert.Equal(FaultCodes.RouterStateUnavailable, (await router.Admission.AdmitAsync(Land, "id-2", Cancel))?.Code);
    }

    [Fact(Timeout = 30_000)]
    public async Task RedisDiesAndReturns_UnavailableWhileDown_RecoversWithoutRestart()
    {
        await using var server = await RedisServer.StartAsync();
        await using var router = Create(Options(server.ConnectionString, Limited));
        Assert.Equal(ReplayVerdict.Accepted, await router.ReplayGuard.TryAcceptAsync(Land, "before", Cancel));

        await server.StopAsync();
        Assert.Equal(ReplayVerdict.Unavailable, await router.ReplayGuard.TryAcceptAsync(Land, "during", Cancel));

        await server.StartAsync();
        await EventuallyAsync(
            async () => await router.ReplayGuard.TryAcceptAsync(Land, "after", Cancel) == ReplayVerdict.Accepted,
            "the router reconnected", TimeSpan.FromSeconds(20));
    }
}
