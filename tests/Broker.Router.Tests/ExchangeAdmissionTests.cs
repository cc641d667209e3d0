using Broker.Protocol.Faults;
using Broker.Router.State.RateLimiting;
using static Broker.Router.Tests.RouterStateInstance;

namespace Broker.Router.Tests;

public sealed class ExchangeAdmissionTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Admit_RepeatedId_IsDuplicateMessageId409()
    {
        await using var router = Create(Options(null));

        Assert.Null(await router.Admission.AdmitAsync(Land, "MN-1", Cancel));
        var fault = await router.Admission.AdmitAsync(Land, "MN-1", Cancel);

        Assert.NotNull(fault);
        Assert.Equal(FaultCodes.RouterDuplicateMessageId, fault.Code);
        Assert.Equal(409, fault.HttpStatus);
        Assert.Contains("MN-1", fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admit_NoMessageId_IsNotGuarded()
    {
        await using var router = Create(Options(null));

        Assert.Null(await router.Admission.AdmitAsync(Land, null, Cancel));
        Assert.Null(await router.Admission.AdmitAsync(Land, "", Cancel));
        Assert.Null(await router.Admission.AdmitAsync(Land, null, Cancel));
    }

    [Fact]
    public async Task Admit_OverTheLimit_IsRateLimited429_AndTakesNoId()
    {
        var time = new ManualTimeProvider();
        await using var router = Create(Options(null, o => o.RateLimit = new RateLimitRule { RequestsPerSecond = 1, Burst = 1 }), time);
        Assert.Null(await router.Admission.AdmitAsync(Land, "MN-1", Cancel));

        var fault = await router.Admission.AdmitAsync(Land, "MN-2", Cancel);
        Assert.NotNull(fault);
        Assert.Equal(FaultCodes.RouterRateLimited, fault.Code);
        Assert.Equal(429, fault.HttpStatus);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await router.Admission.AdmitAsync(Land, "MN-2", Cancel)); // the refused request did not take its id
    }
}
