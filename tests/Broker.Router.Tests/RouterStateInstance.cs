using Broker.Protocol.Identifiers;
using Broker.Router.State;
using Broker.Router.State.Instances;
using Broker.Router.State.RateLimiting;
using Broker.Router.State.Replay;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Broker.Router.Tests;

/// <summary>
/// The state services of one router instance, wired by <c>AddRouterState</c> as the router wires them. Two of these
/// on the same Redis are two router instances.
/// </summary>
internal sealed class RouterStateInstance : IAsyncDisposable
{
    public static readonly ClientId Land = ClientId.Parse("MN/GOV/LAND/land-services");
    public static readonly ClientId Portal = ClientId.Parse("MN/GOV/EMONGOLIA/portal-backend");

    private readonly ServiceProvider _services;

    private RouterStateInstance(ServiceProvider services)
    {
        _services = services;
    }

    public IReplayGuard ReplayGuard => _services.GetRequiredService<IReplayGuard>();

    public IRateLimiter RateLimiter => _services.GetRequiredService<IRateLimiter>();

    public IInstanceRegistry Registry => _services.GetRequiredService<IInstanceRegistry>();

    public ExchangeAdmission Admission => _services.GetRequiredService<ExchangeAdmission>();

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    /// <summary>Options for a test: Redis at <paramref name="redis"/> (null = in memory) and a key prefix of its own.</summary>
    public static RouterStateOptions Options(string? redis, Action<RouterStateOptions>? configure = null)
    {
        var options = new RouterStateOptions { Redis = redis, RedisKeyPrefix = $"test:{Guid.NewGuid():N}:", RedisTimeoutMilliseconds = 1000 };
        configure?.Invoke(options);
        return options;
    }

    public static RouterStateInstance Create(RouterStateOptions options, TimeProvider? time = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Critical));
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddRouterState(options);
        return new RouterStateInstance(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
    }

    /// <summary>Calls <paramref name="attempt"/> until it returns true, failing after <paramref name="limit"/> (default 10 s): for waits on Redis expiry.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> attempt, string what, TimeSpan? limit = null)
    {
        var until = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(10));
        while (!await attempt())
        {
            Assert.True(DateTime.UtcNow < until, "never happened: " + what);
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();
}
