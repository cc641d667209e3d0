using System.Buffers.Binary;
using Broker.Cryptography.Hashing;

namespace Broker.MessageLog.Proofs;

/// <summary>
/// <c>proofs.bin</c>, the per-record proofs of an archive in binary (docs/message-log.md#archives): the header
/// <c>BRKPRF01</c>, then per message record, in sequence order, <c>seq</c> (int64), <c>stamp</c> (int64),
/// <c>index</c> (int32), <c>leafCount</c> (int32), all big-endian, the path's length (one byte) and its sibling hashes
/// (32 bytes each, leaf level first). An archive holds tens of thousands of paths of 13–20 random hashes: as hex JSON
/// they were twice the size and cost a quarter of the archiver's CPU to format and deflate; these bytes are stored as
/// they are (hashes do not compress).
/// </summary>
public static class ProofsFile
{
    public static ReadOnlySpan<byte> Header => "BRKPRF01"u8;

    private const int FixedLength = 8 + 8 + 4 + 4 + 1;

    public static void Write(Stream destination, IEnumerable<RecordProof> proofs)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(proofs);
        var buffer = new byte[1 << 16];
        Header.CopyTo(buffer);
        var used = Header.Length;
        foreach (var proof in proofs)
        {
            if (proof.Path.Count > MerkleTree.MaxPathLength)
            {
                throw new ArgumentException($"A proof path of {proof.Path.Count} hashes is deeper than a tree of 2^{MerkleTree.MaxPathLength} leaves.", nameof(proofs));
            }

            if (used + FixedLength + (MerkleTree.MaxPathLength * MerkleTree.HashSize) > buffer.Length)
            {
                destination.Write(buffer, 0, used);
                used = 0;
            }

            var span = buffer.AsSpan(used);
            BinaryPrimitives.WriteInt64BigEndian(span, proof.Seq);
            BinaryPrimitives.WriteInt64BigEndian(span[8..], proof.StampSeq);
            BinaryPrimitives.WriteInt32BigEndian(span[16..], proof.Index);
            BinaryPrimitives.WriteInt32BigEndian(span[20..], proof.LeafCount);
            span[24] = (byte)proof.Path.Count;
            used += FixedLength;
            foreach (var node in proof.Path)
            {
                if (node.Length != MerkleTree.HashSize)
                {
                    throw new ArgumentException("A proof path holds a hash that is not 32 bytes.", nameof(proofs));
                }

                node.CopyTo(buffer, used);
                used += MerkleTree.HashSize;
            }
        }

        destination.Write(buffer, 0, used);
    }

    /// <summary>The proofs by record sequence number; null with the reason when the bytes are not a proofs file.</summary>
    public static Dictionary<long, RecordProof>? Read(Stream source, out string? error)
    {
        ArgumentNullException.ThrowIfNull(source);
        var proofs = new Dictionary<long, RecordProof>();
        Span<byte> head = stackalloc byte[FixedLength];
        if (!Fill(source, head[..Header.Length]) || !head[..Header.Length].SequenceEqual(Header))
        {
            error = "it does not start with " + System.Text.Encoding.ASCII.GetString(Header);
            return null;
        }

        while (true)
        {
            var first = source.ReadByte();
            if (first < 0)
            {
                error = null;
                return proofs;
            }

            head[0] = (byte)first;
            if (!Fill(source, head[1..]))
            {
                error = $"it ends inside the proof after {proofs.Count} proofs";
                return null;
            }

            var seq = BinaryPrimitives.ReadInt64BigEndian(head);
            var pathLength = head[24];
            if (pathLength > MerkleTree.MaxPathLength)
            {
                error = $"the proof of record {seq} has a path of {pathLength} hashes, more than {MerkleTree.MaxPathLength}";
                return null;
            }

            var path = new byte[pathLength][];
            for (var i = 0; i < path.Length; i++)
            {
                path[i] = new byte[MerkleTree.HashSize];
                if (!Fill(source, path[i]))
                {
                    error = $"it ends inside the proof of record {seq}";
                    return null;
                }
            }

            if (!proofs.TryAdd(seq, new RecordProof(seq, BinaryPrimitives.ReadInt64BigEndian(head[8..]), BinaryPrimitives.ReadInt32BigEndian(head[16..]), BinaryPrimitives.ReadInt32BigEndian(head[20..]), path)))
            {
                error = $"it holds two proofs for record {seq}";
                return null;
            }
        }
    }

    private static bool Fill(Stream source, Span<byte> destination)
    {
        try
        {
            source.ReadExactly(destination);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
    }
}
