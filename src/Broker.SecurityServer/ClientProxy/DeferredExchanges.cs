using System.Collections.Concurrent;
using Broker.Protocol.Identifiers;

namespace Broker.SecurityServer.ClientProxy;

/// <summary>What the consumer's security server must remember of a deferred request to verify its answer later.</summary>
public sealed record DeferredExchange(ClientId Client, ServiceId Service, string RequestId, string RequestHash, DateTimeOffset Expires);

/// <summary>
/// Deferred requests of this security server's clients, by <c>X-Road-Id</c>, until their answer has been fetched and
/// verified or they expire. In memory: a restarted security server can no longer verify answers to requests it
/// deferred before (they must be sent again).
/// </summary>
public sealed class DeferredExchanges(TimeProvider time)
{
    /// <summary>How long a deferred answer can be fetched (the router keeps it as long).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    private readonly ConcurrentDictionary<string, DeferredExchange> _exchanges = new(StringComparer.Ordinal);

    private int _remembered;

    public void Remember(string messageId, ClientId client, ServiceId service, string requestId, string requestHash)
    {
        var now = time.GetUtcNow();
        _exchanges[messageId] = new DeferredExchange(client, service, requestId, requestHash, now + Retention);

        // answers never fetched must not pile up: every 1,024th deferral drops what has expired
        if (Interlocked.Increment(ref _remembered) % 1024 == 0)
        {
            foreach (var (id, exchange) in _exchanges)
            {
                if (exchange.Expires <= now)
                {
                    _exchanges.TryRemove(KeyValuePair.Create(id, exchange));
                }
            }
        }
    }

    public DeferredExchange? Find(string messageId, ClientId client)
    {
        if (!_exchanges.TryGetValue(messageId, out var exchange) || exchange.Client != client)
        {
            return null;
        }

        if (exchange.Expires <= time.GetUtcNow())
        {
            _exchanges.TryRemove(messageId, out _);
            return null;
        }

        return exchange;
    }
}
