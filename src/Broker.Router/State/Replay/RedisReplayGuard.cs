using Broker.Protocol.Identifiers;
using Broker.Router.State.Instances;
using Broker.Router.State.Redis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Broker.Router.State.Replay;

/// <summary>
/// The replay guard shared by every router instance on one Redis: <c>SET {prefix}replay:{client}:{digest}
/// {instance} NX PX {window}</c>, so exactly one instance takes an id and Redis forgets it when the window ends.
/// Any failure to get an answer is <see cref="ReplayVerdict.Unavailable"/> (the ingress then fails closed).
/// </summary>
internal sealed class RedisReplayGuard(
    RedisStateConnection redis, LocalRouterInstance instance, IOptions<RouterStateOptions> options, ILogger<RedisReplayGuard> logger) : IReplayGuard
{
    private readonly TimeSpan _window = options.Value.ReplayWindow;

    public async ValueTask<ReplayVerdict> TryAcceptAsync(ClientId client, string messageId, CancellationToken cancellationToken)
    {
        var clientText = client.ToString();
        var key = (RedisKey)string.Concat(redis.Prefix, "replay:", clientText, ":", ReplayKey.Hex(ReplayKey.Digest(clientText, messageId)));
        try
        {
            var taken = await redis.RunAsync(
                (Key: key, Value: (RedisValue)instance.InstanceId, Window: _window),
                static (db, s) => db.StringSetAsync(s.Key, s.Value, s.Window, When.NotExists),
                cancellationToken).ConfigureAwait(false);
            return taken ? ReplayVerdict.Accepted : ReplayVerdict.Duplicate;
        }
        catch (Exception e) when (RedisStateConnection.IsUnavailable(e, cancellationToken))
        {
            StateLog.RedisUnavailable(logger, "replay guard", e.GetType().Name, e.Message);
            return ReplayVerdict.Unavailable;
        }
    }
}
