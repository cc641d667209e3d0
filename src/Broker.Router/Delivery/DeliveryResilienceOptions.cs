using System.ComponentModel.DataAnnotations;

namespace Broker.Router.Delivery;

/// <summary>
/// How the router protects itself and the providers when delivering to a provider's security server: a circuit
/// breaker per provider security server and retries of attempts that never reached it (docs/architecture.md,
/// "Resilience of delivery"). The deadline is the exchange's own and is not configured here.
/// Checked at start by <see cref="DeliveryResilienceOptionsValidator"/> (Polly's own limits included).
/// </summary>
public sealed class DeliveryResilienceOptions
{
    /// <summary>Share of failed exchanges within <see cref="SamplingDuration"/> that opens a provider's breaker.</summary>
    [Range(0.01, 1.0)]
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Exchanges a provider must have had within <see cref="SamplingDuration"/> before its breaker may open.</summary>
    [Range(2, int.MaxValue)]
    public int MinimumThroughput { get; set; } = 20;

    /// <summary>The window over which the failure ratio is measured.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "1.00:00:00")]
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long an open breaker answers <c>Server.Router.CircuitOpen</c> at once; then one exchange is let through
    /// as a probe (half-open) and its outcome closes or reopens the breaker.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "1.00:00:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Further attempts after an attempt that failed before any byte of the request was sent (connection refused,
    /// connect timeout, TLS handshake broken off); 0 turns retries off. Never applied once a request may have been sent.
    /// </summary>
    [Range(0, 10)]
    public int RetryAttempts { get; set; } = 2;

    /// <summary>The first retry's median delay; later ones grow exponentially, with jitter, up to <see cref="RetryMaxDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest delay before a retry. A retry is made only while more than this is left before the router gives up on the exchange.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(1);
}
