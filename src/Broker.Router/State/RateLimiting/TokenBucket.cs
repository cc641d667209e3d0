namespace Broker.Router.State.RateLimiting;

/// <summary>One client's bucket in memory: starts full, refills continuously at the rule's rate up to its burst.</summary>
internal sealed class TokenBucket(RateLimitRule rule, DateTimeOffset now)
{
    private readonly Lock _lock = new();
    private readonly double _rate = rule.RequestsPerSecond;
    private readonly double _burst = rule.EffectiveBurst;
    private double _tokens = rule.EffectiveBurst;
    private DateTimeOffset _refilledAt = now;

    public RateLimitDecision TryTake(DateTimeOffset now)
    {
        lock (_lock)
        {
            var elapsed = (now - _refilledAt).TotalSeconds;
            if (elapsed > 0)
            {
                _tokens = Math.Min(_burst, _tokens + (elapsed * _rate));
                _refilledAt = now;
            }

            if (_tokens >= 1)
            {
                _tokens -= 1;
                return RateLimitDecision.Allowed;
            }

            return RateLimitDecision.Limited(TimeSpan.FromSeconds((1 - _tokens) / _rate));
        }
    }
}
