using Broker.Protocol.Identifiers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Broker.Router.State.Replay;

/// <summary>
/// The replay guard of a single router instance: taken ids with their expiry, in a dictionary bounded by
/// <see cref="RouterStateOptions.ReplayMemoryCapacity"/>, plus a queue in expiry order so that expired ids are
/// dropped as new ones arrive. When full, the oldest ids are forgotten before their window ends (warning 4502).
/// </summary>
internal sealed class InMemoryReplayGuard : IReplayGuard
{
    private readonly Lock _lock = new();
    private readonly Dictionary<UInt128, long> _expiries = [];
    private readonly Queue<(UInt128 Key, long Expiry)> _order = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly long _windowTicks;
    private readonly int _capacity;
    private long _lastEvictionWarning;

    public InMemoryReplayGuard(IOptions<RouterStateOptions> options, TimeProvider time, ILogger<InMemoryReplayGuard> logger)
    {
        _time = time;
        _logger = logger;
        _windowTicks = options.Value.ReplayWindow.Ticks;
        _capacity = options.Value.ReplayMemoryCapacity;
    }

    public ValueTask<ReplayVerdict> TryAcceptAsync(ClientId client, string messageId, CancellationToken cancellationToken)
    {
        var key = ReplayKey.Digest(client.ToString(), messageId);
        var now = _time.GetUtcNow().UtcTicks;
        var evicted = false;
        lock (_lock)
        {
            DropExpired(now);
            if (_expiries.TryGetValue(key, out var expiry) && expiry > now)
            {
                return ValueTask.FromResult(ReplayVerdict.Duplicate);
            }

            while (_expiries.Count >= _capacity && _order.TryDequeue(out var oldest))
            {
                evicted |= Forget(oldest.Key, oldest.Expiry);
            }

            expiry = now + _windowTicks;
            _expiries[key] = expiry;
            _order.Enqueue((key, expiry));
        }

        if (evicted && now - Interlocked.Read(ref _lastEvictionWarning) > TimeSpan.TicksPerMinute)
        {
            Interlocked.Exchange(ref _lastEvictionWarning, now);
            StateLog.ReplayMemoryFull(_logger, _capacity);
        }

        return ValueTask.FromResult(ReplayVerdict.Accepted);
    }

    private void DropExpired(long now)
    {
        while (_order.TryPeek(out var entry) && entry.Expiry <= now)
        {
            _order.Dequeue();
            Forget(entry.Key, entry.Expiry);
        }
    }

    /// <summary>Removes the entry unless the id was taken again since (a later expiry).</summary>
    private bool Forget(UInt128 key, long expiry) =>
        _expiries.TryGetValue(key, out var current) && current == expiry && _expiries.Remove(key);
}
