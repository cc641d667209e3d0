using System.Buffers.Binary;
using Broker.MessageLog.Records;
using Broker.MessageLog.Segments;

namespace Broker.MessageLog.Reading;

/// <summary>
/// Reads the records of a segment from any stream, also one that cannot seek (the <c>records.mlog</c> entry of an
/// archive). Same framing and stopping rules as <see cref="SegmentReader"/>: the end, or a torn tail
/// (<see cref="TornTailAt"/>); a complete frame that does not decode is returned with its error.
/// </summary>
public sealed class SegmentStreamReader : IDisposable
{
    private readonly Stream _stream;
    private readonly long? _length;
    private readonly bool _leaveOpen;
    private readonly byte[] _frameHeader = new byte[LogSegment.FrameHeaderLength];
    private long _position;

    /// <param name="stream">The segment bytes from the start (header included).</param>
    /// <param name="length">The stream's length when known (bounds a corrupt frame length before anything is allocated).</param>
    /// <param name="leaveOpen">Whether disposing the reader leaves <paramref name="stream"/> open.</param>
    public SegmentStreamReader(Stream stream, long? length = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _length = length ?? (stream.CanSeek ? stream.Length : null);
        _leaveOpen = leaveOpen;
        Span<byte> header = stackalloc byte[LogSegment.Header.Length];
        _position = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        HeaderValid = _position == header.Length && header.SequenceEqual(LogSegment.Header);
    }

    public bool HeaderValid { get; }

    /// <summary>The offset of an incomplete last frame, if the segment ends in one.</summary>
    public long? TornTailAt { get; private set; }

    /// <summary>Where the last complete frame ends (the length to keep when repairing a torn tail).</summary>
    public long ValidLength => _position;

    /// <summary>The next record; false at the end (or at a torn tail).</summary>
    public bool TryRead(out long offset, out LogRecord? record, out string? error)
    {
        record = null;
        error = null;
        offset = _position;
        if (!HeaderValid || TornTailAt is not null)
        {
            return false;
        }

        var read = _stream.ReadAtLeast(_frameHeader, _frameHeader.Length, throwOnEndOfStream: false);
        if (read == 0)
        {
            return false;
        }

        var length = read == _frameHeader.Length ? BinaryPrimitives.ReadUInt32BigEndian(_frameHeader) : uint.MaxValue;
        if (read < _frameHeader.Length || length > LogRecordCodec.MaxRecordLength
            || (_length is long total && length > total - _position - read))
        {
            TornTailAt = offset;
            return false;
        }

        var bytes = new byte[length];
        var got = _stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        if (got < bytes.Length)
        {
            TornTailAt = offset;
            return false;
        }

        _position += read + got;
        if (!LogRecordCodec.TryDecode(bytes, out record, out error))
        {
            record = null;
        }

        return true;
    }

    public void Dispose()
    {
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }
}
