using Broker.Router.State.Redis;
using Broker.Router.Transport;
using StackExchange.Redis;

namespace Broker.Router.State.Deferred;

/// <summary>Deferred answers in Redis (<c>{prefix}deferred:{sha256(client, id)}</c>, expiring), visible to every instance.</summary>
internal sealed class RedisDeferredAnswers(RedisStateConnection redis) : IDeferredAnswers
{
    public Task StoreAsync(string client, string messageId, DeliveryResult answer, TimeSpan keepFor, CancellationToken cancellationToken) =>
        redis.RunAsync(
            (Key: redis.Prefix + "deferred:" + DeferredAnswerCodec.Key(client, messageId), Value: DeferredAnswerCodec.Encode(answer), keepFor),
            (db, s) => db.StringSetAsync(s.Key, s.Value, s.keepFor),
            cancellationToken);

    public async Task<DeliveryResult?> FindAsync(string client, string messageId, CancellationToken cancellationToken)
    {
        var stored = await redis.RunAsync(
            redis.Prefix + "deferred:" + DeferredAnswerCodec.Key(client, messageId),
            async (db, key) => (byte[]?)await db.StringGetAsync(key).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        return stored is null ? null : DeferredAnswerCodec.Decode(stored);
    }
}
