namespace Broker.Router.State.Instances;

/// <summary>The live router instances: each renews its own entry (heartbeat); entries not renewed within the TTL vanish.</summary>
public interface IInstanceRegistry
{
    /// <summary>The store this registry uses, as <c>GET /instances</c> reports it (<c>redis</c> or <c>memory</c>).</summary>
    string Store { get; }

    /// <summary>Writes or renews <paramref name="instance"/>'s entry for <see cref="RouterStateOptions.InstanceTtl"/>; false when the store is unavailable.</summary>
    ValueTask<bool> HeartbeatAsync(RouterInstance instance, CancellationToken cancellationToken);

    /// <summary>Removes an entry at once (on orderly shutdown); best effort.</summary>
    ValueTask RemoveAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>The live instances, oldest first; null when the store is unavailable.</summary>
    ValueTask<IReadOnlyList<RouterInstance>?> ListAsync(CancellationToken cancellationToken);
}
