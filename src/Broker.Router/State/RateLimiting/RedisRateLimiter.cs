using System.Globalization;
using Broker.Protocol.Identifiers;
using Broker.Router.State.Redis;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Broker.Router.State.RateLimiting;

/// <summary>
/// Token buckets shared by every router instance on one Redis: one hash per limited client
/// (<c>{prefix}rate:{client}</c>, fields <c>tokens</c> and <c>ts</c>), updated atomically by a Lua script that reads
/// the time from Redis itself, so instances with skewed clocks still share one rate. The key expires once the bucket
/// would be full again.
/// </summary>
internal sealed class RedisRateLimiter(RedisStateConnection redis, RateLimitPolicy policy, ILogger<RedisRateLimiter> logger) : IRateLimiter
{
    // KEYS[1] bucket; ARGV[1] tokens per second; ARGV[2] burst; ARGV[3] key lifetime (ms). Returns {allowed, wait ms}.
    private const string TakeScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local rate = tonumber(ARGV[1])
        local burst = tonumber(ARGV[2])
        local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
        local tokens = tonumber(state[1])
        local ts = tonumber(state[2])
        if tokens == nil or ts == nil then
          tokens = burst
          ts = now
        end
        if now > ts then
          tokens = math.min(burst, tokens + (now - ts) * rate / 1000)
          ts = now
        end
        local allowed = 0
        local wait = 0
        if tokens >= 1 then
          tokens = tokens - 1
          allowed = 1
        else
          wait = math.ceil((1 - tokens) * 1000 / rate)
        end
        redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(ts))
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        return {allowed, wait}
        """;

    public async ValueTask<RateLimitDecision> AcquireAsync(ClientId client, CancellationToken cancellationToken)
    {
        var rule = policy.RuleFor(client);
        if (rule is null)
        {
            return RateLimitDecision.Allowed;
        }

        var lifetime = (long)Math.Ceiling(rule.EffectiveBurst / rule.RequestsPerSecond * 1000) + 1000;
        var keys = new RedisKey[] { string.Concat(redis.Prefix, "rate:", client.ToString()) };
        var values = new RedisValue[]
        {
            rule.RequestsPerSecond.ToString("R", CultureInfo.InvariantCulture),
            rule.EffectiveBurst,
            lifetime,
        };
        try
        {
            var result = await redis.RunAsync(
                (Keys: keys, Values: values),
                static (db, s) => db.ScriptEvaluateAsync(TakeScript, s.Keys, s.Values),
                cancellationToken).ConfigureAwait(false);
            var answer = (RedisResult[])result!;
            return (long)answer[0] == 1 ? RateLimitDecision.Allowed : RateLimitDecision.Limited(TimeSpan.FromMilliseconds((long)answer[1]));
        }
        catch (Exception e) when (RedisStateConnection.IsUnavailable(e, cancellationToken))
        {
            StateLog.RedisUnavailable(logger, "rate limiter", e.GetType().Name, e.Message);
            return RateLimitDecision.Unavailable;
        }
    }
}
