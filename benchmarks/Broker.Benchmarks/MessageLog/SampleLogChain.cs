using System.Security.Cryptography;
using Broker.Cryptography.Envelopes;
using Broker.Cryptography.Xml;
using Broker.MessageLog.Proofs;
using Broker.MessageLog.Records;
using Broker.Protocol.Envelopes;

namespace Broker.Benchmarks.MessageLog;

/// <summary>
/// A stretch of message log as a verifier reads it: encoded, hash-chained message records (signed POST requests with
/// their 1 KiB bodies stored as signed), covered by one batch time-stamp, with each record's proof to the batch root.
/// The signature documents come from <see cref="SignatureDocumentWriter"/>'s batch signing (batches of 16), either one
/// batch per record (every record the first of its batch a verifier sees) or 16 records per batch.
/// </summary>
internal sealed class SampleLogChain
{
    private const int BatchSize = 16;
    private static readonly byte[] Genesis = new byte[LogRecordCodec.HashSize];

    private SampleLogChain(byte[][] encoded, byte[][] signatures, byte[][] hashes, RecordProof[] proofs, byte[] root, byte[][] batchFirsts)
    {
        Encoded = encoded;
        Signatures = signatures;
        Hashes = hashes;
        Proofs = proofs;
        Root = root;
        BatchFirsts = batchFirsts;
    }

    public byte[][] Encoded { get; }

    /// <summary>Record i's signature document (the bytes its signature field holds).</summary>
    public byte[][] Signatures { get; }

    /// <summary>Record i's hash (record i + 1's previous-hash link).</summary>
    public byte[][] Hashes { get; }

    public RecordProof[] Proofs { get; }

    public byte[] Root { get; }

    /// <summary>The first signature document of each signed batch the records use.</summary>
    public byte[][] BatchFirsts { get; }

    public int Count => Encoded.Length;

    /// <param name="count">How many records.</param>
    /// <param name="batchPerRecord">True: each record's document is from a batch of its own (the other 15 messages of the batch are not in the log).</param>
    public static SampleLogChain Create(SignatureDocumentWriter writer, int count, bool batchPerRecord)
    {
        var body = SampleMessages.Body(SampleMessages.KiB);
        var bodyDigest = SHA512.HashData(body);
        var heads = Enumerable.Range(0, count).Select(i => SampleMessages.Post(SampleLogEntries.MessageId(i)).Serialize()).ToArray();
        var parts = heads.Select(h => (IReadOnlyList<SignedPart>)[new SignedPart(EnvelopeSigner.HeadPart, SHA512.HashData(h)), new SignedPart(EnvelopeSigner.BodyPart, bodyDigest)]).ToArray();
        var signatures = new byte[count][];
        var firsts = new List<byte[]>();
        var now = DateTimeOffset.UtcNow;
        if (batchPerRecord)
        {
            var others = Enumerable.Range(0, BatchSize - 1).Select(j => parts[j % count]).ToArray();
            for (var i = 0; i < count; i++)
            {
                signatures[i] = writer.Write(now, [parts[i], .. others])[0];
                firsts.Add(signatures[i]);
            }
        }
        else
        {
            for (var start = 0; start < count; start += BatchSize)
            {
                var documents = writer.Write(now, parts[start..Math.Min(count, start + BatchSize)]);
                documents.CopyTo(signatures, start);
                firsts.Add(documents[0]);
            }
        }

        var encoded = new byte[count][];
        var hashes = new byte[count][];
        var previous = Genesis;
        for (var i = 0; i < count; i++)
        {
            var entry = new MessageEntry(EnvelopeKind.Request, SampleLogEntries.MessageId(i), SampleLogEntries.Client, SampleLogEntries.Service, heads[i], body, signatures[i], LogMode.Full);
            var record = new byte[LogRecordCodec.GetMessageLength(entry, body.Length)];
            LogRecordCodec.WriteMessage(record, i + 1, now, previous, entry, BodyStorage.Plain, body.Length, out var bodyOffset);
            body.CopyTo(record.AsSpan(bodyOffset));
            encoded[i] = record;
            hashes[i] = previous = SHA256.HashData(record);
        }

        var proofs = BatchProofs.Build(count + 1, hashes.Select((h, i) => ((long)i + 1, h)).ToArray(), out var root);
        return new SampleLogChain(encoded, signatures, hashes, proofs, root, [.. firsts]);
    }

    /// <summary>What record <paramref name="i"/> must link to: the previous record's hash, zeros for the first.</summary>
    public ReadOnlySpan<byte> PreviousHashOf(int i) => i == 0 ? Genesis : Hashes[i - 1];
}
