using System.Text.Json;
using Broker.Router.State.Redis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Broker.Router.State.Instances;

/// <summary>
/// The registry shared by every router instance on one Redis: each instance's entry is a JSON string
/// <c>{prefix}instance:{id}</c> written with a TTL at each heartbeat, and its id is a member of the set
/// <c>{prefix}instances</c> so that listing needs no key scan; ids whose entry has expired are pruned while listing.
/// </summary>
internal sealed class RedisInstanceRegistry(RedisStateConnection redis, IOptions<RouterStateOptions> options, ILogger<RedisInstanceRegistry> logger)
    : IInstanceRegistry
{
    // KEYS[1] entry, KEYS[2] index set; ARGV[1] JSON, ARGV[2] TTL (ms), ARGV[3] instance id
    private const string HeartbeatScript = """
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        redis.call('SADD', KEYS[2], ARGV[3])
        return 1
        """;

    private readonly long _ttlMilliseconds = (long)Math.Ceiling(options.Value.InstanceTtl.TotalMilliseconds);

    public string Store => "redis";

    private RedisKey IndexKey => redis.Prefix + "instances";

    private RedisKey EntryKey(string instanceId) => string.Concat(redis.Prefix, "instance:", instanceId);

    public async ValueTask<bool> HeartbeatAsync(RouterInstance instance, CancellationToken cancellationToken)
    {
        var keys = new[] { EntryKey(instance.InstanceId), IndexKey };
        var values = new RedisValue[] { JsonSerializer.Serialize(instance, RouterStateJsonContext.Default.RouterInstance), _ttlMilliseconds, instance.InstanceId };
        try
        {
            await redis.RunAsync((Keys: keys, Values: values), static (db, s) => db.ScriptEvaluateAsync(HeartbeatScript, s.Keys, s.Values), cancellationToken)
                .ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (RedisStateConnection.IsUnavailable(e, cancellationToken))
        {
            StateLog.RedisUnavailable(logger, "instance registry", e.GetType().Name, e.Message);
            return false;
        }
    }

    public async ValueTask RemoveAsync(string instanceId, CancellationToken cancellationToken)
    {
        try
        {
            await redis.RunAsync((Entry: EntryKey(instanceId), Index: IndexKey, Id: (RedisValue)instanceId), static async (db, s) =>
            {
                await db.KeyDeleteAsync(s.Entry).ConfigureAwait(false);
                return await db.SetRemoveAsync(s.Index, s.Id).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (RedisStateConnection.IsUnavailable(e, cancellationToken))
        {
            StateLog.RedisUnavailable(logger, "instance registry", e.GetType().Name, e.Message);
        }
    }

    public async ValueTask<IReadOnlyList<RouterInstance>?> ListAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await redis.RunAsync(this, static async (db, self) =>
            {
                var ids = await db.SetMembersAsync(self.IndexKey).ConfigureAwait(false);
                if (ids.Length == 0)
                {
                    return (IReadOnlyList<RouterInstance>)[];
                }

                var entries = await db.StringGetAsync([.. ids.Select(id => self.EntryKey(id!))]).ConfigureAwait(false);
                var live = new List<RouterInstance>(ids.Length);
                var gone = new List<RedisValue>();
                for (var i = 0; i < ids.Length; i++)
                {
                    if (entries[i].IsNull || Deserialize(entries[i]) is not { } instance)
                    {
                        gone.Add(ids[i]);
                    }
                    else
                    {
                        live.Add(instance);
                    }
                }

                if (gone.Count > 0)
                {
                    await db.SetRemoveAsync(self.IndexKey, [.. gone]).ConfigureAwait(false);
                }

                live.Sort((a, b) => a.StartedAt.CompareTo(b.StartedAt));
                return (IReadOnlyList<RouterInstance>)live;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (RedisStateConnection.IsUnavailable(e, cancellationToken))
        {
            StateLog.RedisUnavailable(logger, "instance registry", e.GetType().Name, e.Message);
            return null;
        }
    }

    private static RouterInstance? Deserialize(RedisValue json)
    {
        try
        {
            return JsonSerializer.Deserialize((string)json!, RouterStateJsonContext.Default.RouterInstance);
        }
        catch (JsonException)
        {
            return null; // not ours (or from an incompatible version): treated as gone
        }
    }
}
