using System.Security.Cryptography;

namespace Broker.Cryptography.Hashing;

/// <summary>
/// A binary SHA-256 hash tree over a batch of items, so that one signature (or one time-stamp) covers them all and each
/// item keeps a short audit path to the root. Leaves and inner nodes are hashed with different prefixes
/// (<c>H(0x00 ‖ item)</c>, <c>H(0x01 ‖ left ‖ right)</c>) so that no inner node can pass for an item; an odd node at the
/// end of a level is promoted unchanged. The tree's size and the item's index fix which siblings the path holds.
/// </summary>
public static class MerkleTree
{
    public const int HashSize = SHA256.HashSizeInBytes;

    /// <summary>The longest path a verifier accepts (a tree of 2^32 items).</summary>
    public const int MaxPathLength = 32;

    public static byte[] LeafHash(ReadOnlySpan<byte> item)
    {
        if (item.Length <= 256)
        {
            Span<byte> input = stackalloc byte[1 + item.Length];
            input[0] = 0;
            item.CopyTo(input[1..]);
            return SHA256.HashData(input);
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData([0]);
        hash.AppendData(item);
        return hash.GetHashAndReset();
    }

    public static void NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination)
    {
        Span<byte> input = stackalloc byte[1 + (2 * HashSize)];
        input[0] = 1;
        left.CopyTo(input[1..]);
        right.CopyTo(input[(1 + HashSize)..]);
        SHA256.HashData(input, destination);
    }

    /// <summary>The root over leaf hashes, without the paths (what a time-stamp request needs).</summary>
    public static byte[] ComputeRoot(IReadOnlyList<byte[]> leaves)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        if (leaves.Count == 0)
        {
            throw new ArgumentException("A tree needs at least one leaf.", nameof(leaves));
        }

        var level = new byte[leaves.Count][];
        for (var i = 0; i < level.Length; i++)
        {
            level[i] = leaves[i];
        }

        for (var width = level.Length; width > 1; width = (width + 1) / 2)
        {
            for (var j = 0; j < (width + 1) / 2; j++)
            {
                if ((2 * j) + 1 < width)
                {
                    var node = new byte[HashSize];
                    NodeHash(level[2 * j], level[(2 * j) + 1], node);
                    level[j] = node;
                }
                else
                {
                    level[j] = level[2 * j];
                }
            }
        }

        return level[0];
    }

    /// <summary>Builds the tree over leaf hashes; returns the root and, per leaf, its path (siblings, leaf level first).</summary>
    public static byte[] Build(IReadOnlyList<byte[]> leaves, out byte[][][] paths)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        if (leaves.Count == 0)
        {
            throw new ArgumentException("A tree needs at least one leaf.", nameof(leaves));
        }

        var pathLists = new List<byte[]>[leaves.Count];
        for (var i = 0; i < pathLists.Length; i++)
        {
            pathLists[i] = [];
        }

        // positions[i]: where leaf i's ancestor sits on the current level
        var level = leaves.ToArray();
        var positions = Enumerable.Range(0, leaves.Count).ToArray();
        while (level.Length > 1)
        {
            for (var i = 0; i < positions.Length; i++)
            {
                var sibling = positions[i] ^ 1;
                if (sibling < level.Length)
                {
                    pathLists[i].Add(level[sibling]);
                }

                positions[i] >>= 1;
            }

            var next = new byte[(level.Length + 1) / 2][];
            for (var j = 0; j < next.Length; j++)
            {
                if ((2 * j) + 1 < level.Length)
                {
                    next[j] = new byte[HashSize];
                    NodeHash(level[2 * j], level[(2 * j) + 1], next[j]);
                }
                else
                {
                    next[j] = level[2 * j];
                }
            }

            level = next;
        }

        paths = pathLists.Select(p => p.ToArray()).ToArray();
        return level[0];
    }

    /// <summary>
    /// Recomputes the root from a leaf hash and its path; false when the path does not fit a tree of
    /// <paramref name="size"/> items at <paramref name="index"/> (too short, too long, or a hash of the wrong length).
    /// </summary>
    public static bool TryComputeRoot(ReadOnlySpan<byte> leaf, int index, int size, IReadOnlyList<byte[]> path, Span<byte> root)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (leaf.Length != HashSize || root.Length != HashSize || size < 1 || index < 0 || index >= size || path.Count > MaxPathLength)
        {
            return false;
        }

        Span<byte> current = stackalloc byte[HashSize];
        leaf.CopyTo(current);
        var used = 0;
        for (int position = index, width = size; width > 1; position >>= 1, width = (width + 1) / 2)
        {
            if ((position ^ 1) >= width)
            {
                continue; // promoted: the last node of an odd level has no sibling
            }

            if (used == path.Count || path[used].Length != HashSize)
            {
                return false;
            }

            var sibling = path[used++];
            if ((position & 1) == 1)
            {
                NodeHash(sibling, current, current);
            }
            else
            {
                NodeHash(current, sibling, current);
            }
        }

        if (used != path.Count)
        {
            return false;
        }

        current.CopyTo(root);
        return true;
    }
}
