using System.Security.Cryptography;
using Broker.MessageLog.Reading;
using Broker.MessageLog.Records;

namespace Broker.MessageLog.Proofs;

/// <summary>
/// The per-record proofs of one batch time-stamp, for archives and evidence containers alike: built from the message
/// records the timestamp record covers only when exactly its leaf count of them are there and they hash to its root,
/// so that a proof that cannot verify is never handed out; otherwise the failure says what is wrong.
/// </summary>
internal static class BatchProofBuilder
{
    /// <summary>Adds the hashes of the message records <paramref name="first"/>..<paramref name="last"/> that <paramref name="sources"/> hold.</summary>
    /// <exception cref="LogDamagedException">A source that holds some of them cannot be read whole.</exception>
    public static void LoadLeaves(LogSources sources, long first, long last, IDictionary<long, byte[]> hashes, CancellationToken cancellationToken = default)
    {
        foreach (var source in sources.Overlapping(first, last))
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var record in LogSources.Read(source, ScanOptions.Chain(from: first)))
            {
                if (record.Seq > last)
                {
                    break;
                }

                if (record.Type == RecordType.Message && record.Seq >= first)
                {
                    hashes[record.Seq] = record.Hash;
                }
            }
        }
    }

    /// <summary>
    /// The proofs of every message record <paramref name="stamp"/> covers, from their hashes in
    /// <paramref name="hashes"/> (which may hold more); null with the reason when records are missing or do not hash to
    /// the time-stamped root.
    /// </summary>
    public static RecordProof[]? TryBuild(LogRecord stamp, IReadOnlyDictionary<long, byte[]> hashes, out string? failure)
    {
        ArgumentNullException.ThrowIfNull(stamp);
        ArgumentNullException.ThrowIfNull(hashes);
        var batch = new List<(long Seq, byte[] Hash)>(Math.Min(stamp.LeafCount, hashes.Count));
        // unsigned: a damaged stamp's range may not even fit a long
        if (stamp.FirstSeq <= stamp.LastSeq && (ulong)(stamp.LastSeq - stamp.FirstSeq) < (ulong)hashes.Count)
        {
            // an archive's hashes hold a whole segment and many batches: look up the batch's range, in order
            for (long i = 0, range = stamp.LastSeq - stamp.FirstSeq; i <= range; i++)
            {
                if (hashes.TryGetValue(stamp.FirstSeq + i, out var hash))
                {
                    batch.Add((stamp.FirstSeq + i, hash));
                }
            }
        }
        else
        {
            foreach (var (seq, hash) in hashes)
            {
                if (seq >= stamp.FirstSeq && seq <= stamp.LastSeq)
                {
                    batch.Add((seq, hash));
                }
            }

            batch.Sort((a, b) => a.Seq.CompareTo(b.Seq));
        }

        if (batch.Count != stamp.LeafCount)
        {
            failure = $"time-stamp record {stamp.Seq} counts {stamp.LeafCount} message records in {stamp.FirstSeq}..{stamp.LastSeq} but {batch.Count} are there";
            return null;
        }

        var proofs = BatchProofs.Build(stamp.Seq, batch, out var root);
        if (!CryptographicOperations.FixedTimeEquals(root, stamp.Root))
        {
            failure = $"the message records {stamp.FirstSeq}..{stamp.LastSeq} do not hash to the root time-stamped in record {stamp.Seq}";
            return null;
        }

        failure = null;
        return proofs;
    }
}
