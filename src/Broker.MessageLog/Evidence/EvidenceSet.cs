namespace Broker.MessageLog.Evidence;

/// <summary>The records of one X-Road message (its request and/or response as this server logged them), in sequence order.</summary>
public sealed record EvidenceSet(string MessageId, IReadOnlyList<EvidenceItem> Items)
{
    public bool IsEmpty => Items.Count == 0;
}
