using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Broker.Router.State.Instances;

/// <summary>The registry of a router without Redis: only this process heartbeats into it, so it lists only itself.</summary>
internal sealed class InMemoryInstanceRegistry(IOptions<RouterStateOptions> options, TimeProvider time) : IInstanceRegistry
{
    private readonly ConcurrentDictionary<string, (RouterInstance Instance, DateTimeOffset Expires)> _entries = new(StringComparer.Ordinal);
    private readonly TimeSpan _ttl = options.Value.InstanceTtl;

    public string Store => "memory";

    public ValueTask<bool> HeartbeatAsync(RouterInstance instance, CancellationToken cancellationToken)
    {
        _entries[instance.InstanceId] = (instance, time.GetUtcNow() + _ttl);
        return ValueTask.FromResult(true);
    }

    public ValueTask RemoveAsync(string instanceId, CancellationToken cancellationToken)
    {
        _entries.TryRemove(instanceId, out _);
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<RouterInstance>?> ListAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        IReadOnlyList<RouterInstance> live = [.. _entries.Values.Where(e => e.Expires > now).Select(e => e.Instance).OrderBy(i => i.StartedAt)];
        return ValueTask.FromResult<IReadOnlyList<RouterInstance>?>(live);
    }
}
