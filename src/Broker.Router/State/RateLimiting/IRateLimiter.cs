using Broker.Protocol.Identifiers;

namespace Broker.Router.State.RateLimiting;

/// <summary>Per-client token buckets (<see cref="RouterStateOptions.RateLimit"/>, <see cref="RouterStateOptions.ClientRateLimits"/>).</summary>
public interface IRateLimiter
{
    /// <summary>Takes one token from <paramref name="client"/>'s bucket, if it has one.</summary>
    ValueTask<RateLimitDecision> AcquireAsync(ClientId client, CancellationToken cancellationToken);
}
