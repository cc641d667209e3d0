namespace Broker.Router.State.RateLimiting;

public enum RateLimitOutcome
{
    Allowed,

    /// <summary>The client's bucket is empty.</summary>
    Limited,

    /// <summary>The shared state could not be asked (Redis down or too slow); the caller fails closed.</summary>
    Unavailable,
}
