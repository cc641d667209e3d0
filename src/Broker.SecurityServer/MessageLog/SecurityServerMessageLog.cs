using System.Collections.Frozen;
using Broker.MessageLog.Archives;
using Broker.MessageLog.Records;
using Broker.MessageLog.Segments;
using Broker.MessageLog.Timestamping;
using Broker.MessageLog.Writing;
using Broker.Protocol.Envelopes;
using Broker.Protocol.Faults;
using Broker.Protocol.Identifiers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Broker.SecurityServer.MessageLog;

/// <summary>
/// The security server's message log: every signed request and response of a logged subsystem is appended and durable
/// before the exchange goes on (group commit), time-stamped in batches, and archived. A record that cannot be written
/// fails its exchange with <c>*.MessageLogFailed</c>; once no TSA has answered for the grace period, new exchanges fail
/// with <c>*.TimestampingFailed</c> until the backlog is stamped.
/// </summary>
public sealed partial class SecurityServerMessageLog : IHostedService, IAsyncDisposable
{
    private readonly FrozenDictionary<ClientId, LogMode> _modes;
    private readonly LogMode _defaultMode;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private int _disposed;
    private long _probeAt;

    public SecurityServerMessageLog(IOptions<SecurityServerOptions> options, ITimestampSource timestamps, TimeProvider time, ILoggerFactory loggers)
    {
        var o = options.Value.MessageLog;
        Options = o;
        _logger = loggers.CreateLogger<SecurityServerMessageLog>();
        _time = time;
        _defaultMode = o.DefaultMode;
        _modes = o.Modes.ToFrozenDictionary(m => ClientId.Parse(m.Key), m => m.Value);
        Writer = MessageLogWriter.Open(
            new MessageLogWriterOptions
            {
                Directory = o.Directory!,
                MaxSegmentBytes = o.MaxSegmentBytes,
                MaxSegmentAge = o.MaxSegmentAge,
                BodyKeyFile = o.BodyKeyFile,
            },
            time,
            loggers.CreateLogger<MessageLogWriter>());
        Timestamper = new BatchTimestamper(Writer, timestamps, o.Timestamping, time, loggers.CreateLogger<BatchTimestamper>());
    }

    public MessageLogOptions Options { get; }

    public MessageLogWriter Writer { get; }

    public BatchTimestamper Timestamper { get; }

    /// <summary>
    /// What the log takes on disk, from one listing of each directory: the live segments, the archives, and the backlog
    /// (the bytes of the closed segments no archive holds yet: those after the last archived record, but for the
    /// segment being written).
    /// </summary>
    public LogDiskUsage DiskUsage()
    {
        var archives = ArchiveChain.List(Options.ArchiveDirectory!);
        long archiveBytes = 0;
        foreach (var archive in archives)
        {
            archiveBytes += LengthOf(archive.Path);
        }

        var archivedThrough = archives.Count == 0 ? 0 : archives[^1].LastSeq;
        var current = Writer.CurrentSegment;
        var segments = LogSegment.List(Options.Directory!);
        long segmentBytes = 0, backlog = 0;
        foreach (var segment in segments)
        {
            var length = LengthOf(segment);
            segmentBytes += length;
            if (segment != current && LogSegment.FirstSeq(segment) > archivedThrough)
            {
                backlog += length;
            }
        }

        return new LogDiskUsage(segments.Count, segmentBytes, archives.Count, archiveBytes, backlog);
    }

    // 0 for a file removed since the listing (a segment archived and removed meanwhile)
    private static long LengthOf(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (FileNotFoundException)
        {
            return 0;
        }
    }

    public LogMode ModeOf(ClientId subsystem) => _modes.TryGetValue(subsystem, out var mode) ? mode : _defaultMode;

    /// <summary>Null when a new exchange of <paramref name="local"/> may start; a fault once the time-stamping grace period is over.</summary>
    public Fault? Admit(ClientId local, bool clientSide)
    {
        if (ModeOf(local) == LogMode.Off)
        {
            return null;
        }

        // while writes fail, no exchange starts, except one a second that finds out whether the log writes again
        if (Writer.Failure is { } failure)
        {
            var now = _time.GetTimestamp();
            var probeAt = Interlocked.Read(ref _probeAt);
            if (now < probeAt || Interlocked.CompareExchange(ref _probeAt, now + _time.TimestampFrequency, probeAt) != probeAt)
            {
                return FaultCodes.Create(
                    clientSide ? FaultCodes.ClientProxyMessageLogFailed : FaultCodes.ServerProxyMessageLogFailed,
                    "The message log cannot write, so no exchange is started until it can: " + failure);
            }
        }

        if (Timestamper.AcceptsNewExchanges(out var oldest))
        {
            return null;
        }

        return FaultCodes.Create(
            clientSide ? FaultCodes.ClientProxyTimestampingFailed : FaultCodes.ServerProxyTimestampingFailed,
            $"No time-stamping authority has answered since {oldest:O}; the grace period of {Options.Timestamping.GracePeriod} is over, so no new exchange is accepted until the message log is time-stamped.");
    }

    /// <summary>
    /// Adds the signed request of <paramref name="local"/>'s exchange without waiting for it: it is made durable with the
    /// exchange's response record (<see cref="LogResponseAsync"/>), ahead of it: one group commit per exchange and side.
    /// An exchange that ends without a response asks for it with <see cref="WhenLoggedAsync"/>. The default ticket when
    /// the exchange is not logged.
    /// </summary>
    public RecordTicket LogWithNext(ClientId local, Envelope envelope, string messageId, ClientId client, ServiceId service)
    {
        var mode = ModeOf(local);
        return mode == LogMode.Off ? default : Writer.AppendWithNext(Entry(envelope, messageId, client, service, mode));
    }

    /// <summary>
    /// Appends the signed response of <paramref name="local"/>'s exchange, whose request is <paramref name="request"/>, and
    /// waits for both records: the response's commit makes the request durable too, as it was added first. Null once both
    /// are durable; a fault when either cannot be (the request's, if both fail).
    /// </summary>
    public ValueTask<Fault?> LogResponseAsync(ClientId local, bool clientSide, RecordTicket request, Envelope response, string messageId, ClientId client, ServiceId service)
    {
        var mode = ModeOf(local);
        return mode == LogMode.Off
            ? WhenLoggedAsync(request, clientSide, messageId)
            : FaultOf(Writer.AppendAsync(Entry(response, messageId, client, service, mode)), request, clientSide, messageId);
    }

    /// <summary>Null once the record of <see cref="LogWithNext"/> is durable (or there is none); a fault when it cannot be.</summary>
    public ValueTask<Fault?> WhenLoggedAsync(RecordTicket record, bool clientSide, string messageId) =>
        record.HasRecord ? FaultOf(record.WhenDurableAsync(), default, clientSide, messageId) : default;

    private static MessageEntry Entry(Envelope envelope, string messageId, ClientId client, ServiceId service, LogMode mode) =>
        new(envelope.Kind, messageId, client.ToString(), service.ToString(), envelope.Head, envelope.Body, envelope.Signature, mode);

    // no continuation when the records are durable already (a request that rode with its response)
    private ValueTask<Fault?> FaultOf(Task durable, RecordTicket rider, bool clientSide, string messageId) =>
        durable.IsCompletedSuccessfully && rider.IsDurable ? default : AwaitAsync(durable, rider, clientSide, messageId);

    private async ValueTask<Fault?> AwaitAsync(Task durable, RecordTicket rider, bool clientSide, string messageId)
    {
        Fault? fault = null;
        try
        {
            await durable;
        }
        catch (MessageLogException e)
        {
            fault = Failed(e, clientSide, messageId);
        }

        if (rider.HasRecord)
        {
            try
            {
                await rider.WhenDurableAsync();
            }
            catch (MessageLogException e)
            {
                fault = Failed(e, clientSide, messageId);
            }
        }

        return fault;
    }

    private Fault Failed(MessageLogException e, bool clientSide, string messageId)
    {
        Interlocked.Exchange(ref _probeAt, _time.GetTimestamp() + _time.TimestampFrequency);
        LogAppendFailed(_logger, messageId, e.Message);
        return FaultCodes.Create(
            clientSide ? FaultCodes.ClientProxyMessageLogFailed : FaultCodes.ServerProxyMessageLogFailed,
            "The message log could not record this exchange, so it was not carried out further: " + e.Message);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// On a graceful stop (after the server has drained its exchanges): one last attempt to time-stamp what waits, then
    /// the log is closed and its directory lock released, so that the server can be started again in this process.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await Timestamper.FlushAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
        }

        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await Timestamper.DisposeAsync();
        await Writer.DisposeAsync();
    }

    [LoggerMessage(EventId = 5201, Level = LogLevel.Error, Message = "Message {MessageId} could not be logged; its exchange fails: {Error}")]
    private static partial void LogAppendFailed(ILogger logger, string messageId, string error);
}
