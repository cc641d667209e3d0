namespace Broker.MessageLog.Proofs;

/// <summary>
/// A message record's proof of inclusion in a batch time-stamp: the record <see cref="Seq"/> is leaf
/// <see cref="Index"/> of the <see cref="LeafCount"/> leaves of the Merkle tree whose root the timestamp record
/// <see cref="StampSeq"/> holds; <see cref="Path"/> is the sibling hashes from the leaf up (docs/message-log.md#archives).
/// </summary>
public sealed record RecordProof(long Seq, long StampSeq, int Index, int LeafCount, IReadOnlyList<byte[]> Path);
