namespace Broker.Router.State.RateLimiting;

/// <summary>A token bucket: <see cref="RequestsPerSecond"/> sustained, up to <see cref="Burst"/> at once.</summary>
public sealed class RateLimitRule
{
    /// <summary>Sustained rate; 0 means no limit.</summary>
    public double RequestsPerSecond { get; set; }

    /// <summary>Bucket size; 0 means the rate rounded up (at least 1).</summary>
    public int Burst { get; set; }

    public bool IsUnlimited => RequestsPerSecond <= 0;

    /// <summary>The bucket size in force.</summary>
    public int EffectiveBurst => Burst > 0 ? Burst : Math.Max(1, (int)Math.Ceiling(RequestsPerSecond));
}
