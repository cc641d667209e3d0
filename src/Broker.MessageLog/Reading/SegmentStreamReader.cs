using System.Buffers.Binary;
using Broker.MessageLog.Records;
using Broker.MessageLog.Segments;

namespace Broker.MessageLog.Reading;

/// <summary>
/// Reads the records of a segment from any stream, also one that cannot seek (the <c>records.mlog</c> entry of an
/// archive). Same framing and stopping rules as <see cref="SegmentReader"/>: the end, or a torn tail
/// (<see cref="TornTailAt"/>); a complete frame that does not decode is returned with its error.
/// </summary>
/// <remarks>
/// With <see cref="ChainOnly"/>, message records come back without their bytes (type, sequence number, time, previous
/// hash and hash: what walking the chain and building proofs needs) and every frame is read into one reused buffer,
/// so a pass over a 256 MiB segment allocates next to nothing; timestamp records still come back whole.
/// </remarks>
public sealed class SegmentStreamReader : IDisposable
{
    private readonly Stream _stream;
    private readonly long? _length;
    private readonly bool _leaveOpen;
    private readonly byte[] _frameHeader = new byte[LogSegment.FrameHeaderLength];
    private byte[] _buffer = [];
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

    /// <summary>Message records without their bytes, read through one reused buffer (see remarks).</summary>
    public bool ChainOnly { get; init; }

    /// <summary>
    /// Records numbered below this are stepped over unread but for their sequence number (only with
    /// <see cref="ChainOnly"/>): they are neither hashed nor decoded, so the chain is not checked across them and damage
    /// there goes unreported (callers that use it check what they read against a time-stamped root).
    /// </summary>
    public long SkipBelow { get; init; }

    /// <summary>The offset of an incomplete last frame, if the segment ends in one.</summary>
    public long? TornTailAt { get; private set; }

    /// <summary>Where the last complete frame ends (the length to keep when repairing a torn tail).</summary>
    public long ValidLength => _position;

    /// <summary>The next record; false at the end (or at a torn tail).</summary>
    public bool TryRead(out long offset, out LogRecord? record, out string? error)
    {
        record = null;
        error = null;
        while (true)
        {
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

            if (ChainOnly && SkipBelow > 0 && TrySkip(offset, (int)length))
            {
                continue;
            }

            var bytes = ChainOnly ? Rent((int)length) : new byte[length];
            var got = _stream.ReadAtLeast(bytes.AsSpan(0, (int)length), (int)length, throwOnEndOfStream: false);
            if (got < length)
            {
                TornTailAt = offset;
                return false;
            }

            _position += read + got;
            var encoded = bytes.AsMemory(0, (int)length);
            if (ChainOnly && LogRecordCodec.PeekType(encoded.Span) == RecordType.Timestamp)
            {
                encoded = encoded.ToArray(); // kept by the caller: its own bytes
            }

            if (!LogRecordCodec.TryDecode(encoded, out record, out error, chainOnly: ChainOnly))
            {
                record = null;
            }

            return true;
        }
    }

    public void Dispose()
    {
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    // reads the frame's sequence number; steps over the rest when it is below SkipBelow (false: read the frame as usual)
    private bool TrySkip(long offset, int length)
    {
        if (length < LogRecordCodec.CommonLength || !_stream.CanSeek)
        {
            return false;
        }

        Span<byte> fixedFields = stackalloc byte[LogRecordCodec.SeqEnd];
        var got = _stream.ReadAtLeast(fixedFields, fixedFields.Length, throwOnEndOfStream: false);
        if (got == fixedFields.Length && LogRecordCodec.PeekSeq(fixedFields) < SkipBelow)
        {
            _stream.Seek(length - got, SeekOrigin.Current);
            _position += _frameHeader.Length + length;
            return true;
        }

        _stream.Seek(offset + _frameHeader.Length, SeekOrigin.Begin);
        return false;
    }

    private byte[] Rent(int length)
    {
        if (_buffer.Length < length)
        {
            _buffer = new byte[Math.Max(length, Math.Min(2 * _buffer.Length, LogRecordCodec.MaxRecordLength))];
        }

        return _buffer;
    }
}
