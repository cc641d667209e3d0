using System.Collections.Concurrent;
using Broker.Protocol.Identifiers;

namespace Broker.Router.State.RateLimiting;

/// <summary>Token buckets of one router instance, one per limited client (clients are the registered subsystems, so the map stays small).</summary>
internal sealed class InMemoryRateLimiter(RateLimitPolicy policy, TimeProvider time) : IRateLimiter
{
    private readonly ConcurrentDictionary<ClientId, TokenBucket> _buckets = new();

    public ValueTask<RateLimitDecision> AcquireAsync(ClientId client, CancellationToken cancellationToken)
    {
        var rule = policy.RuleFor(client);
        if (rule is null)
        {
            return ValueTask.FromResult(RateLimitDecision.Allowed);
        }

        var now = time.GetUtcNow();
        var bucket = _buckets.GetOrAdd(client, static (_, state) => new TokenBucket(state.Rule, state.Now), (Rule: rule, Now: now));
        return ValueTask.FromResult(bucket.TryTake(now));
    }
}
