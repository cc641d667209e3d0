using System.Security.Cryptography;
using Broker.MessageLog.Proofs;
using Broker.MessageLog.Reading;
using Broker.MessageLog.Records;
using Broker.MessageLog.Segments;

namespace Broker.MessageLog.Archives;

public static partial class ArchiveWriter
{
    /// <summary>
    /// Finds the timestamp records that cover the segment's message records (in the segment, or in later live
    /// segments) and the leaves of their batches (a batch may reach into earlier segments, live or archived), and
    /// builds every message record's proof. Null with a status when the segment cannot be archived yet, or at all.
    /// </summary>
    private static ArchiveBatches? CollectBatches(ArchiveInput input, List<LogRecord> segment, IReadOnlyList<ArchiveFile> chain, out ArchiveStatus status, out string? failure)
    {
        status = ArchiveStatus.Failed;
        failure = null;
        var first = segment[0].Seq;
        var last = segment[^1].Seq;
        var messages = segment.Where(r => r.Type == RecordType.Message).Select(r => r.Seq).ToList();
        if (messages.Count == 0)
        {
            return new ArchiveBatches([], []);
        }

        var hashes = new Dictionary<long, byte[]>();
        var stamps = new List<LogRecord>();
        long covered = 0;
        void Take(LogRecord record)
        {
            if (record.Type == RecordType.Message)
            {
                hashes[record.Seq] = record.Hash;
            }
            else if (record.LastSeq >= messages[0] && record.FirstSeq <= messages[^1])
            {
                stamps.Add(record);
                covered = Math.Max(covered, record.LastSeq);
            }
        }

        segment.ForEach(Take);
        var segments = input.LogSegments ?? LogSegment.List(Path.GetDirectoryName(Path.GetFullPath(input.SegmentPath))!);
        foreach (var later in segments.Where(s => LogSegment.FirstSeq(s) > first).OrderBy(LogSegment.FirstSeq))
        {
            if (covered >= messages[^1])
            {
                break;
            }

            foreach (var (_, record, _) in SegmentReader.ReadAll(later))
            {
                if (record is null)
                {
                    break; // a damaged later segment: what it holds is not used here
                }

                Take(record);
            }
        }

        var uncovered = messages.Where(seq => !stamps.Any(s => s.FirstSeq <= seq && seq <= s.LastSeq)).ToList();
        if (uncovered.Count > 0)
        {
            if (uncovered[0] < covered)
            {
                failure = $"Record {uncovered[0]} is not covered by any time-stamp although later records are; the log is damaged: run `broker audit verify`.";
                return null;
            }

            status = ArchiveStatus.NotStamped;
            failure = $"Records {uncovered[0]}..{uncovered[^1]} ({uncovered.Count} messages) are not time-stamped yet.";
            return null;
        }

        var earliest = stamps.Min(s => s.FirstSeq);
        if (earliest < first && !LoadEarlier(earliest, first, segments, chain, hashes))
        {
            failure = $"The records {earliest}..{first - 1} of a time-stamp that covers this segment are neither in the live log nor in the archives.";
            return null;
        }

        var proofs = new List<RecordProof>(messages.Count);
        foreach (var stamp in stamps)
        {
            var batch = hashes.Where(h => h.Key >= stamp.FirstSeq && h.Key <= stamp.LastSeq).OrderBy(h => h.Key).Select(h => (h.Key, h.Value)).ToList();
            if (batch.Count != stamp.LeafCount)
            {
                failure = $"Time-stamp record {stamp.Seq} counts {stamp.LeafCount} message records in {stamp.FirstSeq}..{stamp.LastSeq} but {batch.Count} are there; the log is damaged: run `broker audit verify`.";
                return null;
            }

            var built = BatchProofs.Build(stamp.Seq, batch, out var root);
            if (!CryptographicOperations.FixedTimeEquals(root, stamp.Root))
            {
                failure = $"The records {stamp.FirstSeq}..{stamp.LastSeq} do not hash to the root time-stamped in record {stamp.Seq}; the log is damaged: run `broker audit verify`.";
                return null;
            }

            proofs.AddRange(built.Where(p => p.Seq >= first && p.Seq <= last));
        }

        proofs.Sort((a, b) => a.Seq.CompareTo(b.Seq));
        return new ArchiveBatches([.. stamps.Where(s => s.Seq > last).OrderBy(s => s.Seq)], proofs);
    }

    /// <summary>Adds the message hashes of records <paramref name="from"/>..<paramref name="before"/>-1: live segments first, then archives.</summary>
    private static bool LoadEarlier(long from, long before, IReadOnlyList<string> segments, IReadOnlyList<ArchiveFile> chain, Dictionary<long, byte[]> hashes)
    {
        var sources = segments.Where(s => LogSegment.FirstSeq(s) < before)
            .Select(s => (First: LogSegment.FirstSeq(s), Path: s))
            .OrderByDescending(s => s.First)
            .Concat(chain.Where(a => a.FirstSeq < before).Reverse().Select(a => (First: a.FirstSeq, a.Path)));
        var reached = before;
        foreach (var (sourceFirst, path) in sources)
        {
            if (sourceFirst >= reached)
            {
                continue; // covers nothing not read yet
            }

            foreach (var (_, record, _) in RecordFiles.Read(path))
            {
                if (record is null)
                {
                    return false;
                }

                if (record.Type == RecordType.Message && record.Seq >= from && record.Seq < reached)
                {
                    hashes[record.Seq] = record.Hash;
                }
            }

            reached = sourceFirst;
            if (reached <= from)
            {
                return true;
            }
        }

        return false;
    }
}
