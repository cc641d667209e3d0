using Broker.MessageLog.Archives;
using Broker.MessageLog.Segments;
using Broker.MessageLog.Trust;
using Broker.MessageLog.Writing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Broker.SecurityServer.MessageLog;

/// <summary>
/// Archives closed segments, in chain order, once every message record in them is time-stamped: each becomes a ZIP in
/// <see cref="MessageLogOptions.ArchiveDirectory"/> that links to the previous archive by digest. An archived segment
/// stays in the live directory for <see cref="MessageLogOptions.KeepArchivedSegments"/> (evidence requests read it
/// there), then is removed. Runs one time-stamping interval after a segment closes and every <see cref="MessageLogOptions.ArchiveInterval"/>.
/// </summary>
public sealed partial class MessageLogArchiver : BackgroundService
{
    private readonly SecurityServerMessageLog _log;
    private readonly string _serverId;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Lock _lock = new();
    private string? _archivedThrough;

    public MessageLogArchiver(SecurityServerMessageLog log, Hosting.SecurityServerRuntime runtime, TimeProvider time, ILogger<MessageLogArchiver> logger)
    {
        _log = log;
        _serverId = runtime.ServerId.ToString();
        _time = time;
        _logger = logger;
        // a segment that just closed is archivable once its last records are stamped, within one time-stamping interval
        log.Writer.SegmentClosed = closed => Task.Delay(log.Options.Timestamping.Interval + TimeSpan.FromSeconds(1), time).ContinueWith(
            static (_, archiver) => ((MessageLogArchiver)archiver!).Wake(), this, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    /// <summary>Archives what can be archived now; returns the archives written (tests and operators).</summary>
    public IReadOnlyList<ArchiveResult> ArchiveNow()
    {
        lock (_lock)
        {
            var options = _log.Options;
            var written = new List<ArchiveResult>();
            var current = _log.Writer.CurrentSegment;
            string? previousArchived = null; // removed only once the segment after it is archived too (a batch may span both)
            var segments = LogSegment.List(options.Directory!);
            var trust = TrustFolder.Read(options.Directory!);
            for (var i = 0; i < segments.Count; i++)
            {
                var segment = segments[i];
                if (segment == current || i + 1 == segments.Count)
                {
                    break; // the open segment is never archived
                }

                // records of this segment still wait for their time-stamp: no need to read it to find that out
                if (_log.Timestamper.OldestWaitingSeq is long waiting && waiting < LogSegment.FirstSeq(segments[i + 1]))
                {
                    break;
                }

                if (_archivedThrough is not null && string.CompareOrdinal(Path.GetFileName(segment), _archivedThrough) <= 0)
                {
                    RemoveIfOld(previousArchived);
                    previousArchived = segment;
                    continue;
                }

                var result = ArchiveWriter.Write(new ArchiveInput
                {
                    SegmentPath = segment,
                    ArchiveDirectory = options.ArchiveDirectory!,
                    ServerId = _serverId,
                    Trust = trust,
                    Time = _time,
                });
                if (result.Status == ArchiveStatus.NotStamped)
                {
                    break; // later segments wait for their stamps too
                }

                if (result.Status == ArchiveStatus.Failed)
                {
                    LogArchiveFailed(_logger, Path.GetFileName(segment), result.Message);
                    break;
                }

                if (result.Status == ArchiveStatus.Written)
                {
                    LogArchived(_logger, Path.GetFileName(result.Path!), result.FirstSeq, result.LastSeq);
                    written.Add(result);
                }

                _archivedThrough = Path.GetFileName(segment);
                RemoveIfOld(previousArchived);
                previousArchived = segment;
            }

            return written;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // reading, hashing and compressing a segment takes seconds: on a thread of its own, not the pool's
                await Task.Factory.StartNew(ArchiveNow, stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or MessageLogException)
            {
                LogArchiveFailed(_logger, "-", e.Message);
            }

            try
            {
                await _wake.WaitAsync(_log.Options.ArchiveInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void RemoveIfOld(string? segment)
    {
        if (segment is null)
        {
            return;
        }

        var age = _time.GetUtcNow() - File.GetLastWriteTimeUtc(segment);
        if (age >= _log.Options.KeepArchivedSegments)
        {
            File.Delete(segment);
        }
    }

    private void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (Exception e) when (e is SemaphoreFullException or ObjectDisposedException)
            {
            }
        }
    }

    public override void Dispose()
    {
        _log.Writer.SegmentClosed = null;
        _wake.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 5401, Level = LogLevel.Information, Message = "Message log archived into {Archive} (records {First}..{Last})")]
    private static partial void LogArchived(ILogger logger, string archive, long first, long last);

    [LoggerMessage(EventId = 5402, Level = LogLevel.Error, Message = "Message log segment {Segment} could not be archived: {Error}")]
    private static partial void LogArchiveFailed(ILogger logger, string segment, string error);
}
