using System.Collections.Concurrent;
using Broker.Router.Transport;

namespace Broker.Router.State.Deferred;

/// <summary>Deferred answers in this process (one router instance); expired ones are dropped when met.</summary>
internal sealed class InMemoryDeferredAnswers(TimeProvider time) : IDeferredAnswers
{
    private readonly ConcurrentDictionary<string, (byte[] Answer, DateTimeOffset Expires)> _answers = new(StringComparer.Ordinal);

    public Task StoreAsync(string client, string messageId, DeliveryResult answer, TimeSpan keepFor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(answer);
        _answers[DeferredAnswerCodec.Key(client, messageId)] = (DeferredAnswerCodec.Encode(answer), time.GetUtcNow() + keepFor);
        return Task.CompletedTask;
    }

    public Task<DeliveryResult?> FindAsync(string client, string messageId, CancellationToken cancellationToken)
    {
        var key = DeferredAnswerCodec.Key(client, messageId);
        if (!_answers.TryGetValue(key, out var entry))
        {
            return Task.FromResult<DeliveryResult?>(null);
        }

        if (entry.Expires <= time.GetUtcNow())
        {
            _answers.TryRemove(key, out _);
            return Task.FromResult<DeliveryResult?>(null);
        }

        return Task.FromResult<DeliveryResult?>(DeferredAnswerCodec.Decode(entry.Answer));
    }
}
