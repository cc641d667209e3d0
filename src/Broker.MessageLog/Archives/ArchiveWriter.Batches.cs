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
    /// builds every message record's proof (<see cref="BatchProofBuilder"/>: only when each batch's records are all there
    /// and hash to its root). Null with a status when the segment cannot be archived yet, or at all.
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
        var sources = LogSources.Create(segments, chain);
        try
        {
            // the stamps come after the records they cover: stop reading at the one that covers the last message
            foreach (var later in sources.All.Where(s => !s.IsArchive && s.FirstSeq > first))
            {
                if (covered >= messages[^1])
                {
                    break;
                }

                foreach (var record in LogSources.Read(later, ScanOptions.Chain()))
                {
                    if (covered >= messages[^1])
                    {
                        break;
                    }

                    Take(record);
                }
            }

            var uncovered = Uncovered(messages, stamps);
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

            // a batch that starts before this segment: its first leaves from the live segments or archives before it
            var earliest = stamps.Min(s => s.FirstSeq);
            if (earliest < first)
            {
                BatchProofBuilder.LoadLeaves(sources, earliest, first - 1, hashes);
            }
        }
        catch (LogDamagedException e)
        {
            failure = $"{e.Message} The records a time-stamp of this segment covers cannot be read: run `broker audit verify`.";
            return null;
        }

        var proofs = new List<RecordProof>(messages.Count);
        foreach (var stamp in stamps)
        {
            var built = BatchProofBuilder.TryBuild(stamp, hashes, out var wrong);
            if (built is null)
            {
                failure = $"Cannot archive {Path.GetFileName(input.SegmentPath)}: {wrong}; the log is damaged: run `broker audit verify`.";
                return null;
            }

            proofs.AddRange(built.Where(p => p.Seq >= first && p.Seq <= last));
        }

        proofs.Sort((a, b) => a.Seq.CompareTo(b.Seq));
        return new ArchiveBatches([.. stamps.Where(s => s.Seq > last).OrderBy(s => s.Seq)], proofs);
    }

    /// <summary>The message records (in order) that no timestamp record's range covers: one sweep over both.</summary>
    private static List<long> Uncovered(List<long> messages, List<LogRecord> stamps)
    {
        var ranges = stamps.Select(s => (s.FirstSeq, s.LastSeq)).Order().ToList();
        var uncovered = new List<long>();
        var next = 0;
        var reach = long.MinValue;
        foreach (var seq in messages)
        {
            for (; next < ranges.Count && ranges[next].FirstSeq <= seq; next++)
            {
                reach = Math.Max(reach, ranges[next].LastSeq);
            }

            if (seq > reach)
            {
                uncovered.Add(seq);
            }
        }

        return uncovered;
    }
}
