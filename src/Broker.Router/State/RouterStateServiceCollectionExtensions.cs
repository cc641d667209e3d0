using Broker.Router.State;
using Broker.Router.State.Deferred;
using Broker.Router.State.Instances;
using Broker.Router.State.RateLimiting;
using Broker.Router.State.Redis;
using Broker.Router.State.Replay;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class RouterStateServiceCollectionExtensions
{
    /// <summary>
    /// The router's shared state: replay guard, rate limiter and instance registry in Redis when
    /// <see cref="RouterStateOptions.Redis"/> is set, in memory otherwise; the heartbeat service and <c>GET /instances</c>.
    /// Registered with TryAdd, so a host or test may bring its own implementations.
    /// </summary>
    public static IServiceCollection AddRouterState(this IServiceCollection services, RouterStateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddValidatedOptions(options);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RouterStateOptions>, RouterStateOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<LocalRouterInstance>();
        services.TryAddSingleton<RateLimitPolicy>();
        services.TryAddSingleton<RedisStateConnection>();
        services.TryAddSingleton(sp => UsesRedis(sp)
            ? (IReplayGuard)ActivatorUtilities.CreateInstance<RedisReplayGuard>(sp)
            : ActivatorUtilities.CreateInstance<InMemoryReplayGuard>(sp));
        services.TryAddSingleton(sp => UsesRedis(sp)
            ? (IRateLimiter)ActivatorUtilities.CreateInstance<RedisRateLimiter>(sp)
            : ActivatorUtilities.CreateInstance<InMemoryRateLimiter>(sp));
        services.TryAddSingleton(sp => UsesRedis(sp)
            ? (IInstanceRegistry)ActivatorUtilities.CreateInstance<RedisInstanceRegistry>(sp)
            : ActivatorUtilities.CreateInstance<InMemoryInstanceRegistry>(sp));
        services.TryAddSingleton(sp => UsesRedis(sp)
            ? (IDeferredAnswers)ActivatorUtilities.CreateInstance<RedisDeferredAnswers>(sp)
            : ActivatorUtilities.CreateInstance<InMemoryDeferredAnswers>(sp));
        services.TryAddSingleton<ExchangeAdmission>();
        services.TryAddSingleton<InstancesEndpoint>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, InstanceHeartbeatService>());
        services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, InstancesEndpointStartupFilter>());
        return services;
    }

    private static bool UsesRedis(IServiceProvider services) => services.GetRequiredService<IOptions<RouterStateOptions>>().Value.UsesRedis;
}
