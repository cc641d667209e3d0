namespace Broker.Router.State.Replay;

public enum ReplayVerdict
{
    /// <summary>First use of the id within the window; it is now taken.</summary>
    Accepted,

    /// <summary>The client already used the id within the window.</summary>
    Duplicate,

    /// <summary>The shared state could not be asked (Redis down or too slow); the caller fails closed.</summary>
    Unavailable,
}
