using Broker.MessageLog.Archives;
using Broker.MessageLog.Records;
using Broker.MessageLog.Segments;

namespace Broker.MessageLog.Reading;

/// <summary>
/// The whole chain of a log as files: the archives (for what is no longer in the live directory), then the live
/// segments, in sequence order. Where an archived segment is still in the live directory, the live file is used.
/// </summary>
public sealed class LogSources
{
    private LogSources(IReadOnlyList<LogSource> all) => All = all;

    /// <summary>The sources in sequence order.</summary>
    public IReadOnlyList<LogSource> All { get; }

    public static LogSources Open(string? logDirectory, string? archiveDirectory = null) =>
        Create(logDirectory is null ? [] : LogSegment.List(logDirectory), archiveDirectory is null ? [] : ArchiveChain.List(archiveDirectory));

    /// <summary>The sources of the given live segment files (in chain order) and archives (oldest first).</summary>
    public static LogSources Create(IReadOnlyList<string> liveSegments, IReadOnlyList<ArchiveFile> archives)
    {
        ArgumentNullException.ThrowIfNull(liveSegments);
        ArgumentNullException.ThrowIfNull(archives);
        var sources = new List<LogSource>();
        var firstLive = liveSegments.Count == 0 ? long.MaxValue : LogSegment.FirstSeq(liveSegments[0]);
        sources.AddRange(archives.Where(a => a.FirstSeq < firstLive).Select(a => new LogSource(a.Path, a.FirstSeq, a.LastSeq, IsArchive: true)));
        for (var i = 0; i < liveSegments.Count; i++)
        {
            var last = i + 1 < liveSegments.Count ? LogSegment.FirstSeq(liveSegments[i + 1]) - 1 : long.MaxValue;
            sources.Add(new LogSource(liveSegments[i], LogSegment.FirstSeq(liveSegments[i]), last, IsArchive: false));
        }

        return new LogSources(sources);
    }

    /// <summary>The sources that may hold records <paramref name="from"/>..<paramref name="to"/>, in order.</summary>
    public IEnumerable<LogSource> Overlapping(long from, long to) => All.Where(s => s.FirstSeq <= to && s.LastSeq >= from);

    /// <summary>
    /// The records of a source, in stored order. Nothing is skipped: a record that does not decode, a file that is no
    /// segment or cannot be read, or one cut short (anywhere but at the end of the newest live segment, whose last write
    /// may be in progress) throws <see cref="LogDamagedException"/>.
    /// </summary>
    public static IEnumerable<LogRecord> Read(LogSource source, ScanOptions options = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        return RecordScanner.ReadAll(source.Path, tornTailIsEnd: !source.IsArchive && source.LastSeq == long.MaxValue, options);
    }
}
