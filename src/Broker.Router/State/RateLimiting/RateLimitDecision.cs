namespace Broker.Router.State.RateLimiting;

/// <summary>What the rate limiter said; <see cref="RetryAfter"/> is when the next token is due (when limited).</summary>
public readonly record struct RateLimitDecision(RateLimitOutcome Outcome, TimeSpan RetryAfter)
{
    public static RateLimitDecision Allowed => new(RateLimitOutcome.Allowed, TimeSpan.Zero);

    public static RateLimitDecision Unavailable => new(RateLimitOutcome.Unavailable, TimeSpan.Zero);

    public static RateLimitDecision Limited(TimeSpan retryAfter) => new(RateLimitOutcome.Limited, retryAfter);
}
