using Broker.MessageLog.Records;
using Broker.Protocol.Envelopes;

namespace Broker.MessageLog.Verification;

/// <summary>
/// A message record waiting for the time-stamp that covers it (whose time is the signing-time evidence its signature
/// is checked at). Holds digests, not the record, so that a long unstamped stretch stays small in memory.
/// </summary>
internal sealed class PendingMessage
{
    public required long Seq { get; init; }

    public required byte[] Hash { get; init; }

    public required EnvelopeKind Kind { get; init; }

    public required string MessageId { get; init; }

    public required string Client { get; init; }

    public required string Service { get; init; }

    public required DateTimeOffset LoggedAt { get; init; }

    public required BodyStorage BodyStorage { get; init; }

    public required byte[] Signature { get; init; }

    public required byte[] HeadDigest { get; init; }

    public required BodyState Body { get; init; }

    public byte[]? BodyDigest { get; init; }

    public string? BodyKeyId { get; init; }

    public required SourceContext Source { get; init; }
}
