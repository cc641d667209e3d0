using System.Diagnostics.CodeAnalysis;
using System.IO.Compression;
using System.Text;
using Broker.MessageLog.Archives;
using Broker.MessageLog.Containers;
using Broker.MessageLog.Records;
using Broker.MessageLog.Segments;

namespace Broker.MessageLog.Reading;

/// <summary>
/// One pass over the records of a segment file or of an archive's <c>records.mlog</c>, for every reader but the
/// writer's own recovery: the records in stored order, then where and why the pass stopped (<see cref="End"/>): the
/// clean end, a torn tail, a record that does not decode (the pass may go on past it: its frame was complete), a bad
/// header, or a file that cannot be read. The caller decides what each means: the verifier reports it; the archiver
/// and the evidence finder refuse to go on (<see cref="ReadAll"/>).
/// </summary>
public sealed class RecordScanner : IDisposable
{
    private readonly SegmentStreamReader? _reader;
    private readonly IDisposable? _owner;

    private RecordScanner(string name, Func<(Stream Stream, long? Length, IDisposable? Owner)> open, ScanOptions options = default)
    {
        Name = name;
        Stream? stream = null;
        try
        {
            (stream, var length, _owner) = open();
            _reader = new SegmentStreamReader(stream, length) { ChainOnly = options.ChainOnly, SkipBelow = options.SkipBelow };
            if (!_reader.HeaderValid)
            {
                Stop(ScanEnd.BadHeader, 0, $"{name} is not a log segment: its header is not {Encoding.ASCII.GetString(LogSegment.Header)}");
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            stream?.Dispose();
            _owner?.Dispose();
            _reader = null;
            _owner = null;
            Stop(ScanEnd.Unreadable, 0, $"{name} cannot be read: {e.Message}");
        }
    }

    /// <summary>What is read, for messages: a segment's file name, or <c>records.mlog of {archive}</c>.</summary>
    public string Name { get; }

    /// <summary>Why the last <see cref="TryRead"/> returned false; <see cref="ScanEnd.None"/> while records come.</summary>
    public ScanEnd End { get; private set; }

    /// <summary>The offset of the frame the scan stopped at (the torn tail, the undecodable record), or where it ended.</summary>
    public long Offset { get; private set; }

    /// <summary>What stopped the scan, as a sentence without its full stop; null at the clean end.</summary>
    public string? Problem { get; private set; }

    /// <summary>A segment file (<c>*.mlog</c>) or an archive (<c>*.zip</c>, its <c>records.mlog</c>), by its name.</summary>
    public static RecordScanner Open(string path, ScanOptions options = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.EndsWith(ArchiveFormat.Extension, StringComparison.OrdinalIgnoreCase) ? OpenArchive(path, options) : OpenSegment(path, options);
    }

    public static RecordScanner OpenSegment(string path, ScanOptions options = default) => Open(
        () => new DropBehindStream(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16)), null, Path.GetFileName(path), options);

    public static RecordScanner OpenArchive(string path, ScanOptions options = default) => new($"{ArchiveFormat.Records} of {Path.GetFileName(path)}", () =>
    {
        var zip = ZipFile.OpenRead(path);
        try
        {
            var entry = zip.GetEntry(ArchiveFormat.Records) ?? throw new InvalidDataException($"the archive has no {ArchiveFormat.Records}");
            return (entry.Open(), entry.Length, zip);
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }, options);

    /// <summary>Segment bytes from any stream (an open container's entry, a file); the scanner disposes it.</summary>
    public static RecordScanner Open(Func<Stream> open, long? length, string name, ScanOptions options = default)
    {
        ArgumentNullException.ThrowIfNull(open);
        return new RecordScanner(name, () => (open(), length, null), options);
    }

    /// <summary>
    /// Every record of a segment file or archive, in stored order; throws <see cref="LogDamagedException"/> unless the
    /// scan reaches the clean end (or a torn tail, where <paramref name="tornTailIsEnd"/>: the newest live segment,
    /// whose last write may be in progress).
    /// </summary>
    public static IEnumerable<LogRecord> ReadAll(string path, bool tornTailIsEnd = false, ScanOptions options = default)
    {
        using var scanner = Open(path, options);
        while (scanner.TryRead(out var record))
        {
            yield return record;
        }

        if (scanner.End != ScanEnd.End && !(tornTailIsEnd && scanner.End == ScanEnd.TornTail))
        {
            throw new LogDamagedException(scanner.Problem + ".");
        }
    }

    /// <summary>The next record; false when the scan stopped (<see cref="End"/> says why; after an undecodable record it may be called again).</summary>
    public bool TryRead([NotNullWhen(true)] out LogRecord? record)
    {
        record = null;
        if (_reader is null || End is not (ScanEnd.None or ScanEnd.Undecodable))
        {
            return false;
        }

        End = ScanEnd.None;
        Problem = null;
        try
        {
            if (!_reader.TryRead(out var offset, out record, out var error))
            {
                if (_reader.TornTailAt is long torn)
                {
                    Stop(ScanEnd.TornTail, torn, $"{Name} ends in an incomplete record at offset {torn}");
                }
                else
                {
                    Stop(ScanEnd.End, offset, null);
                }

                return false;
            }

            if (record is null)
            {
                Stop(ScanEnd.Undecodable, offset, $"The record at offset {offset} of {Name} does not decode: {error}");
                return false;
            }

            Offset = offset;
            return true;
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            Stop(ScanEnd.Unreadable, _reader.ValidLength, $"{Name} cannot be read after offset {_reader.ValidLength}: {e.Message}");
            record = null;
            return false;
        }
    }

    public void Dispose()
    {
        _reader?.Dispose();
        _owner?.Dispose();
    }

    private void Stop(ScanEnd end, long offset, string? problem)
    {
        End = end;
        Offset = offset;
        Problem = problem;
    }
}
