using System.Buffers.Binary;
using Broker.MessageLog.Records;

namespace Broker.MessageLog.Segments;

/// <summary>
/// Reads a segment's records in order. Stops at the end, or at a torn tail (a frame cut short by a crash), which
/// <see cref="TornTailAt"/> then reports; a record that is complete but does not decode is returned as an error.
/// </summary>
public sealed class SegmentReader : IDisposable
{
    private readonly FileStream _stream;
    private readonly byte[] _frameHeader = new byte[LogSegment.FrameHeaderLength];

    public SegmentReader(string path)
    {
        Path = path;
        _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
        Span<byte> header = stackalloc byte[LogSegment.Header.Length];
        if (_stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) != header.Length || !header.SequenceEqual(LogSegment.Header))
        {
            HeaderValid = false;
        }
    }

    public string Path { get; }

    public bool HeaderValid { get; } = true;

    /// <summary>Where the last complete frame ends (the length to keep when repairing a torn tail).</summary>
    public long ValidLength { get; private set; } = LogSegment.Header.Length;

    /// <summary>The offset of an incomplete last frame, if the segment ends in one.</summary>
    public long? TornTailAt { get; private set; }

    /// <summary>The next record; false at the end of the segment (or at a torn tail).</summary>
    public bool TryRead(out long offset, out LogRecord? record, out string? error)
    {
        record = null;
        error = null;
        offset = _stream.Position;
        if (!HeaderValid)
        {
            return false;
        }

        var read = _stream.ReadAtLeast(_frameHeader, _frameHeader.Length, throwOnEndOfStream: false);
        if (read == 0)
        {
            return false;
        }

        var length = read == _frameHeader.Length ? BinaryPrimitives.ReadUInt32BigEndian(_frameHeader) : uint.MaxValue;
        if (read < _frameHeader.Length || length > LogRecordCodec.MaxRecordLength || length > _stream.Length - _stream.Position)
        {
            TornTailAt = offset;
            return false;
        }

        var bytes = new byte[length];
        _stream.ReadExactly(bytes);
        ValidLength = _stream.Position;
        if (!LogRecordCodec.TryDecode(bytes, out record, out error))
        {
            record = null;
        }

        return true;
    }

    /// <summary>Every record of a segment file, in order (errors as null records with their message).</summary>
    public static IEnumerable<(long Offset, LogRecord? Record, string? Error)> ReadAll(string path)
    {
        using var reader = new SegmentReader(path);
        while (reader.TryRead(out var offset, out var record, out var error))
        {
            yield return (offset, record, error);
        }
    }

    public void Dispose() => _stream.Dispose();
}
