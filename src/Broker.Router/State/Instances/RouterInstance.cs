namespace Broker.Router.State.Instances;

/// <summary>One router instance as the registry lists it.</summary>
public sealed record RouterInstance(string InstanceId, string Address, DateTimeOffset StartedAt, DateTimeOffset LastHeartbeat);
