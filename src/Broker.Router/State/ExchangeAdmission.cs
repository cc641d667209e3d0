using Broker.Protocol.Faults;
using Broker.Protocol.Identifiers;
using Broker.Router.State.RateLimiting;
using Broker.Router.State.Replay;
using Microsoft.Extensions.Options;

namespace Broker.Router.State;

/// <summary>
/// The router's state checks for an authenticated, routable request, in order: the client's rate limit (a refused
/// request takes no id, so it may be retried with the same <c>X-Road-Id</c>), then the replay guard (the id is taken
/// for the window whatever becomes of the exchange). Either store being unreachable refuses the request: fail closed.
/// </summary>
public sealed class ExchangeAdmission
{
    private const int MaxEchoedIdLength = 100;
    private readonly IRateLimiter _rateLimiter;
    private readonly IReplayGuard _replayGuard;
    private readonly TimeSpan _window;

    public ExchangeAdmission(IRateLimiter rateLimiter, IReplayGuard replayGuard, IOptions<RouterStateOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _rateLimiter = rateLimiter;
        _replayGuard = replayGuard;
        _window = options.Value.ReplayWindow;
    }

    /// <summary>Null when the exchange may go on; otherwise the fault to answer with.</summary>
    public async ValueTask<Fault?> AdmitAsync(ClientId client, string? messageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var rate = await _rateLimiter.AcquireAsync(client, cancellationToken).ConfigureAwait(false);
        switch (rate.Outcome)
        {
            case RateLimitOutcome.Limited:
                return FaultCodes.Create(FaultCodes.RouterRateLimited,
                    $"Client {client} exceeds its rate limit; the next request is accepted in {Math.Max(1, (long)Math.Ceiling(rate.RetryAfter.TotalMilliseconds))} ms.");
            case RateLimitOutcome.Unavailable:
                return Unavailable();
        }

        if (string.IsNullOrEmpty(messageId))
        {
            return null; // a security server always sends one; an envelope without it has nothing to guard
        }

        return await _replayGuard.TryAcceptAsync(client, messageId, cancellationToken).ConfigureAwait(false) switch
        {
            ReplayVerdict.Accepted => null,
            ReplayVerdict.Duplicate => FaultCodes.Create(FaultCodes.RouterDuplicateMessageId,
                $"Client {client} already sent a message with X-Road-Id '{Echo(messageId)}' within the last {_window.TotalMinutes:0.##} minutes; it was not delivered again."),
            _ => Unavailable(),
        };
    }

    private static Fault Unavailable() =>
        FaultCodes.Create(FaultCodes.RouterStateUnavailable, "The router cannot reach its shared state store (replay guard, rate limits); retry later.");

    private static string Echo(string messageId) => messageId.Length <= MaxEchoedIdLength ? messageId : string.Concat(messageId.AsSpan(0, MaxEchoedIdLength), "…");
}
