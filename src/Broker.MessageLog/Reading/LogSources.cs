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

    public static LogSources Open(string? logDirectory, string? archiveDirectory = null)
    {
        var live = logDirectory is null ? [] : LogSegment.List(logDirectory);
        var sources = new List<LogSource>();
        var firstLive = live.Count == 0 ? long.MaxValue : LogSegment.FirstSeq(live[0]);
        if (archiveDirectory is not null)
        {
            sources.AddRange(ArchiveChain.List(archiveDirectory)
                .Where(a => a.FirstSeq < firstLive)
                .Select(a => new LogSource(a.Path, a.FirstSeq, a.LastSeq, IsArchive: true)));
        }

        for (var i = 0; i < live.Count; i++)
        {
            var last = i + 1 < live.Count ? LogSegment.FirstSeq(live[i + 1]) - 1 : long.MaxValue;
            sources.Add(new LogSource(live[i], LogSegment.FirstSeq(live[i]), last, IsArchive: false));
        }

        return new LogSources(sources);
    }

    /// <summary>The sources that may hold records <paramref name="from"/>..<paramref name="to"/>, in order.</summary>
    public IEnumerable<LogSource> Overlapping(long from, long to) => All.Where(s => s.FirstSeq <= to && s.LastSeq >= from);

    /// <summary>The decodable records of a source, in stored order.</summary>
    public static IEnumerable<LogRecord> Read(LogSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        foreach (var (_, record, _) in RecordFiles.Read(source.Path))
        {
            if (record is not null)
            {
                yield return record;
            }
        }
    }
}
