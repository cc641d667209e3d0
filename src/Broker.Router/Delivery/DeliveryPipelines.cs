using System.Collections.Concurrent;
using Broker.Router.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Retry;
using Polly.Timeout;

namespace Broker.Router.Delivery;

/// <summary>
/// The named Polly pipelines of delivery, one per provider security server (key <c>delivery:{server id}</c> in the
/// router's <see cref="ResiliencePipelineRegistry{TKey}"/>), built on first use from
/// <see cref="RouterOptions.Resilience"/>. Outermost first:
/// <list type="number">
/// <item>circuit breaker: counts whole exchanges (after their retries) that <see cref="DeliveryFailures.CountsAgainstProvider"/>;
/// while open it throws <see cref="BrokenCircuitException"/> before anything is sent;</item>
/// <item>timeout: the exchange's own deadline (less the router's margin), read from <see cref="GiveUpAt"/> —
/// the only deadline mechanism of delivery;</item>
/// <item>retry: only attempts that <see cref="DeliveryFailures.NothingSent"/>, and only while more than
/// <see cref="DeliveryResilienceOptions.RetryMaxDelay"/> is left.</item>
/// </list>
/// </summary>
public sealed partial class DeliveryPipelines
{
    /// <summary>When the router gives up on the exchange; set by the caller in the context of each execution.</summary>
    internal static readonly ResiliencePropertyKey<DateTimeOffset> GiveUpAt = new("broker.delivery.give-up-at");

    private const string KeyPrefix = "delivery:";
    private readonly ResiliencePipelineRegistry<string> _registry;
    private readonly DeliveryResilienceOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<DeliveryPipelines> _logger;
    private readonly ConcurrentDictionary<string, ProviderPipeline> _providers = new(StringComparer.Ordinal);
    private readonly Lock _creating = new();

    public DeliveryPipelines(ResiliencePipelineRegistry<string> registry, IOptions<RouterOptions> options, TimeProvider time, ILogger<DeliveryPipelines> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _registry = registry;
        _options = options.Value.Resilience;
        _time = time;
        _logger = logger;
    }

    /// <summary>The pipeline of the provider security server <paramref name="serverId"/> (built on first use).</summary>
    public ResiliencePipeline<DeliveryResult> For(string serverId) =>
        (_providers.TryGetValue(serverId, out var provider) ? provider : Create(serverId)).Pipeline;

    /// <summary>The state of <paramref name="serverId"/>'s breaker, or null before its first exchange.</summary>
    public CircuitState? StateOf(string serverId) => _providers.TryGetValue(serverId, out var provider) ? provider.State.CircuitState : null;

    // once per provider: under a lock, so that the state provider read by StateOf is the one the breaker was built with
    private ProviderPipeline Create(string server)
    {
        lock (_creating)
        {
            if (!_providers.TryGetValue(server, out var provider))
            {
                var state = new CircuitBreakerStateProvider();
                provider = new ProviderPipeline(_registry.GetOrAddPipeline<DeliveryResult>(KeyPrefix + server, builder => Configure(builder, server, state)), state);
                _providers[server] = provider;
            }

            return provider;
        }
    }

    private void Configure(ResiliencePipelineBuilder<DeliveryResult> builder, string server, CircuitBreakerStateProvider state)
    {
        builder.TimeProvider = _time;
        builder.InstanceName = server;
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<DeliveryResult>
        {
            FailureRatio = _options.FailureRatio,
            MinimumThroughput = _options.MinimumThroughput,
            SamplingDuration = _options.SamplingDuration,
            BreakDuration = _options.BreakDuration,
            StateProvider = state,
            ShouldHandle = static args => ValueTask.FromResult(DeliveryFailures.CountsAgainstProvider(args.Outcome, args.Context)),
            OnOpened = args =>
            {
                LogCircuitOpened(server, args.BreakDuration.TotalSeconds, DeliveryFailures.Describe(args.Outcome));
                return default;
            },
            OnHalfOpened = _ =>
            {
                LogCircuitHalfOpened(server);
                return default;
            },
            OnClosed = _ =>
            {
                LogCircuitClosed(server);
                return default;
            },
        });
        builder.AddTimeout(new TimeoutStrategyOptions
        {
            // never zero or less: the strategy would then not time out at all
            TimeoutGenerator = args => ValueTask.FromResult(TimeSpan.FromTicks(Math.Max(Remaining(args.Context).Ticks, TimeSpan.TicksPerMillisecond))),
        });
        if (_options.RetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<DeliveryResult>
            {
                MaxRetryAttempts = _options.RetryAttempts,
                Delay = _options.RetryBaseDelay,
                MaxDelay = _options.RetryMaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } e
                    && DeliveryFailures.NothingSent(e, args.Context.CancellationToken)
                    && Remaining(args.Context) > _options.RetryMaxDelay),
                OnRetry = args =>
                {
                    LogRetry(server, args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds, DeliveryFailures.Describe(args.Outcome));
                    return default;
                },
            });
        }
    }

    private TimeSpan Remaining(ResilienceContext context) =>
        context.Properties.GetValue(GiveUpAt, DateTimeOffset.MinValue) - _time.GetUtcNow();

    private sealed record ProviderPipeline(ResiliencePipeline<DeliveryResult> Pipeline, CircuitBreakerStateProvider State);

    [LoggerMessage(EventId = 4301, Level = LogLevel.Warning, Message = "Circuit to provider security server {Server} opened for {Seconds} s after {Outcome}")]
    private partial void LogCircuitOpened(string server, double seconds, string outcome);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Information, Message = "Circuit to provider security server {Server} half-open: one exchange let through as a probe")]
    private partial void LogCircuitHalfOpened(string server);

    [LoggerMessage(EventId = 4303, Level = LogLevel.Warning, Message = "Circuit to provider security server {Server} closed")]
    private partial void LogCircuitClosed(string server);

    [LoggerMessage(EventId = 4304, Level = LogLevel.Information, Message = "Delivery to provider security server {Server}: retry {Retry} in {DelayMs} ms after {Outcome} (nothing was sent)")]
    private partial void LogRetry(string server, int retry, double delayMs, string outcome);
}
