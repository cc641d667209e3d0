using Broker.Protocol.Identifiers;

namespace Broker.Router.State.Replay;

/// <summary>
/// Accepts a message id (<c>X-Road-Id</c>) once per client within the replay window
/// (<see cref="RouterStateOptions.ReplayWindow"/>), across every router instance sharing the state.
/// </summary>
public interface IReplayGuard
{
    /// <summary>Takes <paramref name="messageId"/> for <paramref name="client"/> unless it is already taken.</summary>
    ValueTask<ReplayVerdict> TryAcceptAsync(ClientId client, string messageId, CancellationToken cancellationToken);
}
