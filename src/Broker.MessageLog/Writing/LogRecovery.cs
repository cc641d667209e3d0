using Broker.MessageLog.Records;
using Broker.MessageLog.Segments;

namespace Broker.MessageLog.Writing;

/// <summary>
/// What a writer needs after a restart, read from the live segments: the chain's head (next sequence number, last
/// hash), a torn tail to cut off, and the message records that no timestamp record covers yet.
/// </summary>
internal sealed class LogRecovery
{
    public long NextSeq { get; private set; } = 1;

    public byte[] LastHash { get; private set; } = new byte[LogRecordCodec.HashSize];

    public DateTimeOffset? LastSegmentStartedAt { get; private set; }

    public List<(long Seq, byte[] Hash, DateTimeOffset LoggedAt)> Unstamped { get; } = [];

    public long TruncatedBytes { get; private set; }

    public static LogRecovery Run(IReadOnlyList<string> segments)
    {
        var recovery = new LogRecovery();
        if (segments.Count == 0)
        {
            return recovery;
        }

        // newest first, until a segment with a timestamp record has been read: what is older is stamped
        var scanned = new List<List<LogRecord>>();
        long stampedThrough = 0;
        for (var i = segments.Count - 1; i >= 0; i--)
        {
            var records = new List<LogRecord>();
            using (var reader = new SegmentReader(segments[i]))
            {
                if (!reader.HeaderValid)
                {
                    throw new MessageLogException($"Segment {segments[i]} has no valid header; refusing to append to a log that is not ours.");
                }

                while (reader.TryRead(out var offset, out var record, out var error))
                {
                    if (record is null)
                    {
                        throw new MessageLogException($"Segment {segments[i]} holds an undecodable record at offset {offset} ({error}); run `broker audit verify` on the log directory.");
                    }

                    records.Add(record);
                }

                if (reader.TornTailAt is long torn && i == segments.Count - 1)
                {
                    // a crash cut the last write short; nothing in it was acknowledged (a record is acknowledged only after its fdatasync)
                    recovery.TruncatedBytes = new FileInfo(segments[i]).Length - reader.ValidLength;
                    TruncateAt(segments[i], reader.ValidLength);
                }
                else if (reader.TornTailAt is long inner)
                {
                    throw new MessageLogException($"Segment {segments[i]} is cut short at offset {inner} although later segments exist.");
                }
            }

            scanned.Add(records);
            if (i == segments.Count - 1 && records.Count > 0)
            {
                recovery.LastSegmentStartedAt = records[0].LoggedAt;
            }

            if (recovery.NextSeq == 1 && records.Count > 0)
            {
                recovery.NextSeq = records[^1].Seq + 1;
                recovery.LastHash = records[^1].Hash;
            }

            var stamp = records.LastOrDefault(r => r.Type == RecordType.Timestamp);
            if (stamp is not null)
            {
                stampedThrough = stamp.LastSeq;
                break;
            }
        }

        for (var s = scanned.Count - 1; s >= 0; s--)
        {
            foreach (var record in scanned[s])
            {
                if (record.Type == RecordType.Message && record.Seq > stampedThrough)
                {
                    recovery.Unstamped.Add((record.Seq, record.Hash, record.LoggedAt));
                }
            }
        }

        if (recovery.NextSeq == 1)
        {
            // only empty segments: the chain starts at the first one's name
            recovery.NextSeq = LogSegment.FirstSeq(segments[^1]);
        }

        return recovery;
    }

    private static void TruncateAt(string path, long length)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
        RandomAccess.SetLength(handle, length);
        NativeFile.FlushData(handle);
    }
}
