namespace Broker.MessageLog.Records;

/// <summary>
/// A batch time-stamp to log: the RFC 3161 token (DER) over <see cref="Root"/>, the Merkle root of the hashes of the
/// <see cref="LeafCount"/> message records with sequence numbers from <see cref="FirstSeq"/> to <see cref="LastSeq"/>.
/// </summary>
public readonly record struct TimestampEntry(long FirstSeq, long LastSeq, int LeafCount, byte[] Root, byte[] Token);
