namespace Broker.MessageLog.Verification;

/// <summary>A clock stopped at one instant: certificates are checked as of the signing time the evidence shows.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
