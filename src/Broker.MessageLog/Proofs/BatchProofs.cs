using System.Security.Cryptography;
using Broker.Cryptography.Hashing;

namespace Broker.MessageLog.Proofs;

/// <summary>
/// The batch time-stamp tree of the message log: its leaves are <c>H(0x00 ‖ record hash)</c> of the message records a
/// timestamp record covers, in sequence order (<see cref="MerkleTree"/>); the token is over the root itself.
/// </summary>
public static class BatchProofs
{
    private static byte[] Leaf(ReadOnlySpan<byte> recordHash) => MerkleTree.LeafHash(recordHash);

    /// <summary>The root over the record hashes of a batch, in sequence order.</summary>
    public static byte[] ComputeRoot(IReadOnlyList<byte[]> recordHashes)
    {
        ArgumentNullException.ThrowIfNull(recordHashes);
        var leaves = new byte[recordHashes.Count][];
        for (var i = 0; i < leaves.Length; i++)
        {
            leaves[i] = Leaf(recordHashes[i]);
        }

        return MerkleTree.ComputeRoot(leaves);
    }

    /// <summary>Every record's proof for the batch of <paramref name="stampSeq"/>; <paramref name="root"/> is the root they lead to.</summary>
    public static RecordProof[] Build(long stampSeq, IReadOnlyList<(long Seq, byte[] Hash)> batch, out byte[] root)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var leaves = new byte[batch.Count][];
        for (var i = 0; i < leaves.Length; i++)
        {
            leaves[i] = Leaf(batch[i].Hash);
        }

        root = MerkleTree.Build(leaves, out var paths);
        var proofs = new RecordProof[batch.Count];
        for (var i = 0; i < proofs.Length; i++)
        {
            proofs[i] = new RecordProof(batch[i].Seq, stampSeq, i, batch.Count, paths[i]);
        }

        return proofs;
    }

    /// <summary>True when <paramref name="proof"/> leads from <paramref name="recordHash"/> to <paramref name="root"/>.</summary>
    public static bool Verifies(RecordProof proof, ReadOnlySpan<byte> recordHash, ReadOnlySpan<byte> root)
    {
        ArgumentNullException.ThrowIfNull(proof);
        Span<byte> computed = stackalloc byte[MerkleTree.HashSize];
        return recordHash.Length == MerkleTree.HashSize
            && MerkleTree.TryComputeRoot(Leaf(recordHash), proof.Index, proof.LeafCount, proof.Path, computed)
            && CryptographicOperations.FixedTimeEquals(computed, root);
    }
}
