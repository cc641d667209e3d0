using System.Buffers.Binary;
using System.Security.Cryptography;
using Broker.MessageLog.Records;
using Broker.MessageLog.Segments;

namespace Broker.MessageLog.Tests.Fixtures;

/// <summary>Tampering with segment files the way an attacker with write access would: frame by frame.</summary>
internal static class SegmentFiles
{
    private const int PreviousHashOffset = 18;

    public static List<byte[]> ReadRecords(string path) => Records(File.ReadAllBytes(path));

    /// <summary>A segment's bytes (an archive's <c>records.mlog</c>) with its records changed by <paramref name="change"/>.</summary>
    public static byte[] Rewrite(byte[] segment, Func<List<byte[]>, IEnumerable<byte[]>> change)
    {
        using var stream = new MemoryStream();
        Write(stream, change(Records(segment)));
        return stream.ToArray();
    }

    public static void WriteRecords(string path, IEnumerable<byte[]> records)
    {
        using var file = new FileStream(path, FileMode.Create);
        Write(file, records);
    }

    public static long SeqOf(byte[] record) => BinaryPrimitives.ReadInt64BigEndian(record.AsSpan(2));

    /// <summary>The segment holding record <paramref name="seq"/>, its records, and the record's index there.</summary>
    public static (string Path, List<byte[]> Records, int Index) Locate(string directory, long seq)
    {
        foreach (var segment in LogSegment.List(directory))
        {
            var records = ReadRecords(segment);
            var index = records.FindIndex(r => SeqOf(r) == seq);
            if (index >= 0)
            {
                return (segment, records, index);
            }
        }

        throw new InvalidOperationException($"record {seq} is in no segment");
    }

    public static void Modify(string directory, long seq, Func<byte[], byte[]> change)
    {
        var (path, records, index) = Locate(directory, seq);
        records[index] = change(records[index]);
        WriteRecords(path, records);
    }

    public static void Remove(string directory, long seq)
    {
        var (path, records, index) = Locate(directory, seq);
        records.RemoveAt(index);
        WriteRecords(path, records);
    }

    /// <summary>Swaps records <paramref name="seq"/> and <paramref name="seq"/>+1 (in one segment).</summary>
    public static void SwapWithNext(string directory, long seq)
    {
        var (path, records, index) = Locate(directory, seq);
        Assert.True(index + 1 < records.Count && SeqOf(records[index + 1]) == seq + 1, "both records must be in one segment");
        (records[index], records[index + 1]) = (records[index + 1], records[index]);
        WriteRecords(path, records);
    }

    /// <summary>Rewrites every previous-hash field from record <paramref name="fromSeq"/> on, so the chain links again.</summary>
    public static void Rechain(string directory, long fromSeq)
    {
        byte[]? previous = null;
        foreach (var segment in LogSegment.List(directory))
        {
            var records = ReadRecords(segment);
            foreach (var record in records)
            {
                if (previous is not null && SeqOf(record) >= fromSeq)
                {
                    previous.CopyTo(record.AsSpan(PreviousHashOffset));
                }

                previous = SHA256.HashData(record);
            }

            WriteRecords(segment, records);
        }
    }

    /// <summary>The message record with another signature document (its body and everything else as they were).</summary>
    public static byte[] WithSignature(byte[] encoded, byte[] signature)
    {
        Assert.True(LogRecordCodec.TryDecode(encoded, out var record, out _));
        var entry = new MessageEntry(record.Kind, record.MessageId, record.Client, record.Service, record.Head, record.Body, signature, LogMode.Full);
        var bytes = new byte[LogRecordCodec.GetMessageLength(entry, record.Body.Length)];
        LogRecordCodec.WriteMessage(bytes, record.Seq, record.LoggedAt, record.PreviousHash, entry, record.BodyStorage, record.Body.Length, out var bodyOffset);
        record.Body.Span.CopyTo(bytes.AsSpan(bodyOffset));
        return bytes;
    }

    /// <summary>The timestamp record with another token (range, count and root as they were).</summary>
    public static byte[] WithToken(byte[] encoded, byte[] token)
    {
        Assert.True(LogRecordCodec.TryDecode(encoded, out var record, out _));
        var bytes = new byte[LogRecordCodec.GetTimestampLength(token.Length)];
        LogRecordCodec.WriteTimestamp(bytes, record.Seq, record.LoggedAt, record.PreviousHash, new TimestampEntry(record.FirstSeq, record.LastSeq, record.LeafCount, record.Root, token));
        return bytes;
    }

    /// <summary>Flips a byte of the record's stored body (the body is its last field).</summary>
    public static byte[] WithBodyByteFlipped(byte[] encoded)
    {
        Assert.True(LogRecordCodec.TryDecode(encoded, out var record, out _));
        Assert.True(record.Body.Length > 10);
        var copy = encoded.ToArray();
        copy[^5] ^= 0x20;
        return copy;
    }

    public static LogRecord Decode(byte[] encoded)
    {
        Assert.True(LogRecordCodec.TryDecode(encoded, out var record, out var error), error);
        return record;
    }

    private static List<byte[]> Records(byte[] bytes)
    {
        var records = new List<byte[]>();
        for (var offset = LogSegment.Header.Length; offset < bytes.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(offset));
            records.Add(bytes.AsSpan(offset + 4, length).ToArray());
            offset += 4 + length;
        }

        return records;
    }

    private static void Write(Stream file, IEnumerable<byte[]> records)
    {
        file.Write(LogSegment.Header);
        Span<byte> frame = stackalloc byte[4];
        foreach (var record in records)
        {
            BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)record.Length);
            file.Write(frame);
            file.Write(record);
        }
    }
}
