using Microsoft.Extensions.Logging;

namespace Broker.Router.State;

/// <summary>Log events of the router's shared state, ids 4501–4599 (never reused).</summary>
internal static partial class StateLog
{
    [LoggerMessage(EventId = 4501, Level = LogLevel.Warning, Message = "Router state: Redis unavailable for the {Component} ({Error}: {Reason})")]
    public static partial void RedisUnavailable(ILogger logger, string component, string error, string reason);

    [LoggerMessage(EventId = 4502, Level = LogLevel.Warning, Message = "Router state: the in-memory replay guard holds {Capacity} ids; the oldest are forgotten before their window ends")]
    public static partial void ReplayMemoryFull(ILogger logger, int capacity);

    [LoggerMessage(EventId = 4503, Level = LogLevel.Information, Message = "Router instance {InstanceId} at {Address} registered (state in {Store})")]
    public static partial void InstanceStarted(ILogger logger, string instanceId, string address, string store);
}
