using System.Globalization;
using Microsoft.Extensions.Options;

namespace Broker.Router.State.Instances;

/// <summary>This router instance: its registry name, start time and (once it listens) its address.</summary>
internal sealed class LocalRouterInstance(IOptions<RouterStateOptions> options, TimeProvider time)
{
    private string _address = options.Value.AdvertisedAddress ?? "";

    public string InstanceId { get; } = options.Value.InstanceId ?? string.Create(
        CultureInfo.InvariantCulture, $"{Environment.MachineName}-{Environment.ProcessId}-{Random.Shared.Next():x8}");

    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();

    /// <summary>The address listed for this instance; the first listening address unless one is configured.</summary>
    public string Address
    {
        get => Volatile.Read(ref _address);
        set => Volatile.Write(ref _address, value);
    }

    public RouterInstance Snapshot(DateTimeOffset now) => new(InstanceId, Address, StartedAt, now);
}
