namespace Broker.Router.State.Instances;

/// <summary>The body of <c>GET /instances</c>: which instance answered, where the registry lives, and the live instances.</summary>
public sealed record InstancesReport(string Self, string Store, IReadOnlyList<RouterInstance> Instances);
