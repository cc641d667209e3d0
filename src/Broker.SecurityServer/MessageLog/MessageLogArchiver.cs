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
/// there), then is removed. Runs one time-stamping interval after a segment closes and every <see cref="MessageLogOptions.ArchiveInterval"/>,
/// inside <see cref="MessageLogOptions.ArchiveWindow"/> when one is set, each pass on a thread of its own in the idle
/// scheduling class, so that archiving takes only CPU the exchanges leave; once more than
/// <see cref="MessageLogOptions.ArchiveBacklogLimit"/> waits, at any time and at normal priority until it has caught up
/// (docs/message-log.md#when-archiving-runs).
/// </summary>
public sealed partial class MessageLogArchiver : BackgroundService
{
    private const string PassThreadName = "log-archiver";
    private static readonly TimeSpan BacklogCheck = TimeSpan.FromSeconds(10);
    private readonly SecurityServerMessageLog _log;
    private readonly string _serverId;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Lock _lock = new();
    private readonly DailyWindow? _window;
    private string? _archivedThrough;
    private ArchiveLink? _newestArchive; // the last archive this server wrote or found, so that the next need not hash it again

    public MessageLogArchiver(SecurityServerMessageLog log, Hosting.SecurityServerRuntime runtime, TimeProvider time, ILogger<MessageLogArchiver> logger)
    {
        _log = log;
        _serverId = runtime.ServerId.ToString();
        _time = time;
        _logger = logger;
        _window = DailyWindow.TryParse(log.Options.ArchiveWindow, out var window) ? window : null;
        // a segment that just closed is archivable once its last records are stamped, within one time-stamping interval
        log.Writer.SegmentClosed = closed => Task.Delay(log.Options.Timestamping.Interval + TimeSpan.FromSeconds(1), time).ContinueWith(
            static (_, archiver) => ((MessageLogArchiver)archiver!).Wake(), this, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    /// <summary>Archives what can be archived now; returns the archives written (tests and operators).</summary>
    public IReadOnlyList<ArchiveResult> ArchiveNow() => Archive(CancellationToken.None);

    private List<ArchiveResult> Archive(CancellationToken cancellationToken)
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
                    PreviousLink = _newestArchive,
                    Time = _time,
                    CancellationToken = cancellationToken,
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

                _newestArchive = result.Link ?? _newestArchive;
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
                var backlog = _log.DiskUsage().ArchiveBacklogBytes;
                if (backlog > _log.Options.ArchiveBacklogLimit || InWindow())
                {
                    await RunPassAsync(backlog, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
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

    /// <summary>
    /// Archives what can be archived, on a thread of its own (reading, hashing and compressing a segment takes a second
    /// of CPU or more). Below the backlog limit the thread is in the idle scheduling class, so it takes only CPU the
    /// exchanges leave, and under full load it may get none: while it runs the backlog is checked every
    /// <see cref="BacklogCheck"/>, and once it outgrows the limit the idle pass is abandoned (the archive it was writing
    /// is deleted) and a pass at normal priority takes over, since a backlog that only grows would fill the disk.
    /// </summary>
    private async Task RunPassAsync(long backlog, CancellationToken stoppingToken)
    {
        var limit = _log.Options.ArchiveBacklogLimit;
        if (backlog <= limit)
        {
            using var behind = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var pass = StartPass(idle: true, behind.Token, stoppingToken);
            while (await Task.WhenAny(pass, Task.Delay(BacklogCheck, _time, behind.Token)) != pass && !behind.IsCancellationRequested)
            {
                if ((backlog = _log.DiskUsage().ArchiveBacklogBytes) > limit)
                {
                    await behind.CancelAsync();
                }
            }

            try
            {
                await pass;
                return;
            }
            catch (OperationCanceledException) when (behind.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
            {
                // abandoned for the normal pass below
            }
        }

        LogArchiveBehind(_logger, backlog, limit);
        await StartPass(idle: false, stoppingToken, stoppingToken);
    }

    // One pass on a thread of its own, named so that per-thread CPU figures (top -H, benchmarks/log-cost.sh) show what
    // archiving takes. An idle pass runs in the idle scheduling class and is abandoned with idleToken.
    private Task<List<ArchiveResult>> StartPass(bool idle, CancellationToken idleToken, CancellationToken stoppingToken) =>
        Task.Factory.StartNew(
            () =>
            {
                Thread.CurrentThread.Name = PassThreadName;
                return Archive(idle && IdleThread.TryEnter() ? idleToken : stoppingToken);
            },
            stoppingToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

    // outside MessageLog.ArchiveWindow the closed segments wait, unless more than the backlog limit does
    private bool InWindow() => _window is not { } window || window.Contains(TimeOnly.FromDateTime(_time.GetLocalNow().DateTime));

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

    [LoggerMessage(EventId = 5403, Level = LogLevel.Warning, Message = "Message log archiving is behind: {Backlog} bytes of closed segments wait for their archive, more than MessageLog.ArchiveBacklogLimit ({Limit}); archiving at normal priority, competing with the exchanges for CPU, until it has caught up")]
    private static partial void LogArchiveBehind(ILogger logger, long backlog, long limit);

    [LoggerMessage(EventId = 5402, Level = LogLevel.Error, Message = "Message log segment {Segment} could not be archived: {Error}")]
    private static partial void LogArchiveFailed(ILogger logger, string segment, string error);
}
