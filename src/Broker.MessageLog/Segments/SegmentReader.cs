using Broker.MessageLog.Reading;
using Broker.MessageLog.Records;

namespace Broker.MessageLog.Segments;

/// <summary>
/// Reads a segment file's records in order (<see cref="SegmentStreamReader"/> over the file). Stops at the end, or at a
/// torn tail (a frame cut short by a crash), which <see cref="TornTailAt"/> then reports; a record that is complete
/// but does not decode is returned as an error.
/// </summary>
public sealed class SegmentReader : IDisposable
{
    private readonly SegmentStreamReader _reader;

    /// <param name="path">The segment file.</param>
    /// <param name="chainOnly">Message records without their bytes (<see cref="SegmentStreamReader.ChainOnly"/>): what recovery needs.</param>
    public SegmentReader(string path, bool chainOnly = false)
    {
        Path = path;
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
        _reader = new SegmentStreamReader(stream, stream.Length) { ChainOnly = chainOnly };
    }

    public string Path { get; }

    public bool HeaderValid => _reader.HeaderValid;

    /// <summary>Where the last complete frame ends (the length to keep when repairing a torn tail).</summary>
    public long ValidLength => _reader.ValidLength;

    /// <summary>The offset of an incomplete last frame, if the segment ends in one.</summary>
    public long? TornTailAt => _reader.TornTailAt;

    /// <summary>The next record; false at the end of the segment (or at a torn tail).</summary>
    public bool TryRead(out long offset, out LogRecord? record, out string? error) => _reader.TryRead(out offset, out record, out error);

    /// <summary>Every record of a segment file, in order (errors as null records with their message).</summary>
    public static IEnumerable<(long Offset, LogRecord? Record, string? Error)> ReadAll(string path)
    {
        using var reader = new SegmentReader(path);
        while (reader.TryRead(out var offset, out var record, out var error))
        {
            yield return (offset, record, error);
        }
    }

    public void Dispose() => _reader.Dispose();
}
