using Broker.Protocol.Envelopes;

namespace Broker.MessageLog.Records;

/// <summary>
/// A decoded log record (docs/message-log.md#record-format). The fields of the other record type are empty.
/// <see cref="Hash"/> is SHA-256 over the record's encoded bytes, which include <see cref="PreviousHash"/>: the chain.
/// </summary>
public sealed class LogRecord
{
    public required RecordType Type { get; init; }

    public required long Seq { get; init; }

    public required DateTimeOffset LoggedAt { get; init; }

    public required byte[] PreviousHash { get; init; }

    public required byte[] Hash { get; init; }

    /// <summary>The encoded record, exactly as stored (what <see cref="Hash"/> covers).</summary>
    public required ReadOnlyMemory<byte> Encoded { get; init; }

    // message records

    public EnvelopeKind Kind { get; init; }

    public BodyStorage BodyStorage { get; init; }

    public string MessageId { get; init; } = "";

    public string Client { get; init; } = "";

    public string Service { get; init; } = "";

    public ReadOnlyMemory<byte> Head { get; init; }

    public ReadOnlyMemory<byte> Signature { get; init; }

    /// <summary>The stored body: plain, encrypted (<see cref="BodyCipher"/>), or empty.</summary>
    public ReadOnlyMemory<byte> Body { get; init; }

    // timestamp records

    public long FirstSeq { get; init; }

    public long LastSeq { get; init; }

    public int LeafCount { get; init; }

    public byte[] Root { get; init; } = [];

    public ReadOnlyMemory<byte> Token { get; init; }
}
