using System.ComponentModel.DataAnnotations;
using Broker.Router.State.RateLimiting;

namespace Broker.Router.State;

/// <summary>
/// Where the router keeps the state its instances share: the replay guard, rate limits and the instance registry.
/// In Redis when <see cref="Redis"/> is set (every instance pointing at the same Redis shares it), otherwise in this
/// process's memory (one instance). See docs/operations.md, "Router state".
/// </summary>
public sealed class RouterStateOptions
{
    /// <summary>
    /// A StackExchange.Redis configuration string (<c>host:port[,password=…][,ssl=true]</c>); null or empty keeps the
    /// state in memory. The timeouts in it are replaced by <see cref="RedisTimeoutMilliseconds"/>.
    /// </summary>
    public string? Redis { get; set; }

    /// <summary>Prefix of every Redis key the router writes, so that several networks can share one Redis.</summary>
    [Required]
    public string RedisKeyPrefix { get; set; } = "broker:router:";

    /// <summary>
    /// Connect, synchronous and per-operation timeout for Redis. A Redis that does not answer within it counts as
    /// unavailable: the exchange is refused (fail closed) rather than held.
    /// </summary>
    [Range(50, 60_000)]
    public int RedisTimeoutMilliseconds { get; set; } = 1000;

    /// <summary>How long an <c>X-Road-Id</c> stays taken for its client after the router first accepted it.</summary>
    public TimeSpan ReplayWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>In-memory replay guard only: the most ids remembered at once; beyond it the oldest are forgotten early.</summary>
    [Range(1, 100_000_000)]
    public int ReplayMemoryCapacity { get; set; } = 1_000_000;

    /// <summary>The limit for every client subsystem without its own entry in <see cref="ClientRateLimits"/>; 0 requests/s = none.</summary>
    [Required]
    public RateLimitRule RateLimit { get; set; } = new();

    /// <summary>Per-client limits by client identifier (<c>MN/GOV/LAND/land-services</c>); 0 requests/s exempts the client.</summary>
    [Required]
    public Dictionary<string, RateLimitRule> ClientRateLimits { get; set; } = new(StringComparer.Ordinal);

    /// <summary>This instance's name in the registry; null = <c>{host}-{process id}-{random}</c>.</summary>
    public string? InstanceId { get; set; }

    /// <summary>The address listed for this instance; null = the first address the router listens on.</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>How often this instance renews its registry entry.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a registry entry lives without a heartbeat; an instance that stops is unlisted after it.</summary>
    public TimeSpan InstanceTtl { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>True when the state lives in Redis.</summary>
    public bool UsesRedis => !string.IsNullOrWhiteSpace(Redis);
}
