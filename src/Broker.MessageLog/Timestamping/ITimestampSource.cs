namespace Broker.MessageLog.Timestamping;

/// <summary>A time-stamping authority as the log sees it: a token over a 32-byte root, or an exception when none answers.</summary>
public interface ITimestampSource
{
    Task<StampedRoot> StampAsync(byte[] root, CancellationToken cancellationToken);
}

/// <summary>An RFC 3161 token (DER) and the time it attests.</summary>
public sealed record StampedRoot(byte[] Token, DateTimeOffset GenTime);
