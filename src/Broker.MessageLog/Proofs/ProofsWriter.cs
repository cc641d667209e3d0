using System.Text.Json;

namespace Broker.MessageLog.Proofs;

/// <summary>
/// Writes <c>proofs.json</c> (the shape of <see cref="ProofsDocument"/>) of an evidence container straight into its
/// entry. Archives, with tens of thousands of proofs, use the binary <see cref="ProofsFile"/> instead.
/// </summary>
internal static class ProofsWriter
{
    private const int MaxDepth = Broker.Cryptography.Hashing.MerkleTree.MaxPathLength;

    public static void Write(Stream destination, IEnumerable<RecordProof> proofs)
    {
        using var json = new Utf8JsonWriter(destination);
        var path = new byte[2 + (MaxDepth * (3 + (2 * Records.LogRecordCodec.HashSize)))];
        json.WriteStartObject();
        json.WriteStartArray("proofs"u8);
        foreach (var proof in proofs)
        {
            json.WriteStartObject();
            json.WriteNumber("seq"u8, proof.Seq);
            json.WriteNumber("stamp"u8, proof.StampSeq);
            json.WriteNumber("index"u8, proof.Index);
            json.WriteNumber("leafCount"u8, proof.LeafCount);
            json.WritePropertyName("path"u8);
            json.WriteRawValue(PathJson(proof.Path, path), skipInputValidation: true);
            json.WriteEndObject();
            if (json.BytesPending > 1 << 16)
            {
                json.Flush();
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    // the path as a JSON array of lowercase hex strings, written by hand: it holds nothing that needs escaping
    private static ReadOnlySpan<byte> PathJson(IReadOnlyList<byte[]> nodes, byte[] buffer)
    {
        if (nodes.Count > MaxDepth)
        {
            throw new ArgumentException($"A proof path of {nodes.Count} hashes is deeper than a tree of 2^{MaxDepth} leaves.", nameof(nodes));
        }

        var length = 0;
        buffer[length++] = (byte)'[';
        for (var i = 0; i < nodes.Count; i++)
        {
            if (i > 0)
            {
                buffer[length++] = (byte)',';
            }

            buffer[length++] = (byte)'"';
            Convert.TryToHexStringLower(nodes[i], buffer.AsSpan(length), out var written);
            length += written;
            buffer[length++] = (byte)'"';
        }

        buffer[length++] = (byte)']';
        return buffer.AsSpan(0, length);
    }
}
