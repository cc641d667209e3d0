using Broker.MessageLog.Records;
using Broker.MessageLog.Segments;

namespace Broker.MessageLog.Writing;

/// <summary>
/// What a writer needs after a restart, read from the live segments: the chain's head (next sequence number, last
/// hash), a torn tail to cut off, and the message records that no timestamp record covers yet. Only what that needs
/// is kept per record (not bodies), so a long backlog after a TSA outage does not have to fit in memory twice.
/// </summary>
internal sealed class LogRecovery
{
    public long NextSeq { get; private set; } = 1;

    public byte[] LastHash { get; private set; } = new byte[LogRecordCodec.HashSize];

    public DateTimeOffset? LastSegmentStartedAt { get; private set; }

    public List<(long Seq, byte[] Hash, DateTimeOffset LoggedAt)> Unstamped { get; } = [];

    /// <summary>Bytes cut off the newest segment, and where they were kept.</summary>
    public (long Bytes, string KeptIn)? Cut { get; private set; }

    public static LogRecovery Run(IReadOnlyList<string> segments)
    {
        var recovery = new LogRecovery();
        if (segments.Count == 0)
        {
            return recovery;
        }

        // newest first, until a segment with a timestamp record has been read: what is older is stamped
        var scanned = new List<List<Summary>>();
        long stampedThrough = 0;
        for (var i = segments.Count - 1; i >= 0; i--)
        {
            var records = Read(segments[i], newest: i == segments.Count - 1, recovery);
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

            var stamp = records.FindLast(r => r.Type == RecordType.Timestamp);
            if (stamp.Hash is not null)
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

    private static List<Summary> Read(string path, bool newest, LogRecovery recovery)
    {
        var records = new List<Summary>();
        long? cutAt = null;
        using (var reader = new SegmentReader(path, chainOnly: true))
        {
            if (!reader.HeaderValid)
            {
                throw new MessageLogException($"Segment {path} has no valid header; refusing to append to a log that is not ours.");
            }

            while (reader.TryRead(out var offset, out var record, out var error))
            {
                if (record is null)
                {
                    // a zero-filled tail (left by some file systems after a power loss) is a torn tail too; anything else is damage
                    if (newest && IsZeroFrom(path, offset))
                    {
                        cutAt = offset;
                        break;
                    }

                    throw new MessageLogException($"Segment {path} holds an undecodable record at offset {offset} ({error}); run `broker audit verify` on the log directory.");
                }

                records.Add(new Summary(record.Type, record.Seq, record.Hash, record.LoggedAt, record.LastSeq));
            }

            if (reader.TornTailAt is long torn)
            {
                if (!newest)
                {
                    throw new MessageLogException($"Segment {path} is cut short at offset {torn} although later segments exist.");
                }

                cutAt = reader.ValidLength;
            }
        }

        if (cutAt is long at)
        {
            recovery.Cut = CutTail(path, at);
        }

        return records;
    }

    /// <summary>
    /// Cuts a torn tail off after keeping its bytes beside the segment (<c>.torn-{offset}</c>): a crash leaves only an
    /// unacknowledged write there, but if it was damage instead, the bytes stay for the auditor.
    /// </summary>
    private static (long, string) CutTail(string path, long at)
    {
        var kept = $"{path}.torn-{at}";
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
        var length = RandomAccess.GetLength(handle);
        var tail = new byte[length - at];
        RandomAccess.Read(handle, tail, at);
        using (var copy = File.OpenHandle(kept, FileMode.Create, FileAccess.Write))
        {
            RandomAccess.Write(copy, tail, 0);
            NativeFile.FlushData(copy);
        }

        RandomAccess.SetLength(handle, at);
        NativeFile.FlushData(handle);
        NativeFile.FlushDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        return (tail.Length, kept);
    }

    private static bool IsZeroFrom(string path, long offset)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Position = offset;
        var buffer = new byte[1 << 16];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            if (buffer.AsSpan(0, read).ContainsAnyExcept((byte)0))
            {
                return false;
            }
        }

        return true;
    }

    private readonly record struct Summary(RecordType Type, long Seq, byte[] Hash, DateTimeOffset LoggedAt, long LastSeq);
}
