using Broker.MessageLog.Containers;

namespace Broker.MessageLog.Evidence;

/// <summary><c>manifest.json</c> of an evidence container: the message, the records of it, and the digest of every other entry.</summary>
public sealed class EvidenceManifest
{
    public string Format { get; init; } = EvidenceFormat.FormatId;

    /// <summary>The X-Road message id (<c>X-Road-Id</c>).</summary>
    public string MessageId { get; init; } = "";

    public string ServerId { get; init; } = "";

    public DateTimeOffset CreatedAt { get; init; }

    public IReadOnlyList<EvidenceRecordEntry> Records { get; init; } = [];

    public IReadOnlyList<EntryDigest> Entries { get; init; } = [];
}
