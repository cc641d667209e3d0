using Broker.MessageLog.Records;
using Broker.Protocol.Envelopes;

namespace Broker.MessageLog.Evidence;

/// <summary>One message record of an evidence container as its manifest lists it.</summary>
public sealed class EvidenceRecordEntry
{
    public long Seq { get; init; }

    public EnvelopeKind Kind { get; init; }

    /// <summary>The record's hash (hex): SHA-256 of <see cref="Record"/>'s bytes.</summary>
    public string Hash { get; init; } = "";

    public DateTimeOffset LoggedAt { get; init; }

    public BodyStorage BodyStorage { get; init; }

    /// <summary>The entry holding the encoded record.</summary>
    public string Record { get; init; } = "";

    /// <summary>The timestamp record covering it; null when the record is not time-stamped yet.</summary>
    public long? Stamp { get; init; }

    public bool Stamped => Stamp is not null;

    /// <summary>The entry with the decrypted body, when the stored body is encrypted and it was supplied.</summary>
    public string? Body { get; init; }
}
