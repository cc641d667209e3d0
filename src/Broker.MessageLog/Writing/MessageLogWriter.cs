using System.Buffers;
using System.Security.Cryptography;
using System.Threading.Channels;
using Broker.MessageLog.Records;
using Broker.MessageLog.Segments;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Win32.SafeHandles;

namespace Broker.MessageLog.Writing;

/// <summary>
/// The append-only, hash-chained message log of one security server. Appends are group-committed: one writer loop
/// takes every record waiting, encodes and chains them, writes them with one call and makes them durable with one
/// <c>fdatasync</c>; only then do their appends complete. A failed write is cut off again and fails exactly the
/// appends it held; a failed <c>fdatasync</c> stops the log (the kernel may have dropped the pages), so that no
/// exchange is ever acknowledged without its evidence on disk. A record appended with <see cref="AppendWithNext"/> does
/// not wake the loop: it rides with the next durable append, written ahead of it (see there).
/// </summary>
public sealed partial class MessageLogWriter : IAsyncDisposable
{
    private const int DropChunk = 1 << 16;
    private readonly MessageLogWriterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly BodyCipher? _cipher;
    private readonly Channel<PendingAppend> _queue = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Thread _loop;
    private readonly TaskCompletionSource _loopEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<PendingAppend> _batch = [];
    private readonly List<PendingAppend> _taken = [];
    private volatile bool _closed;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
    private SafeFileHandle _segment = null!;
    private string _segmentPath = "";
    private long _segmentLength;
    private long _droppedThrough; // the segment's pages before this offset are durable and dropped from the page cache
    private DateTimeOffset _segmentStartedAt;
    private long _nextSeq;
    private byte[] _lastHash;
    private Exception? _stopped;
    private FileStream? _lockFile;
    private volatile string? _writeError;

    private MessageLogWriter(MessageLogWriterOptions options, TimeProvider time, ILogger logger, LogRecovery recovery)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _cipher = options.BodyKeyFile is null ? null : BodyCipher.FromFile(options.BodyKeyFile);
        _nextSeq = recovery.NextSeq;
        _lastHash = recovery.LastHash;
        Recovered = recovery.Unstamped;
        // its own thread: pwrite and fdatasync block, and a blocked thread-pool thread on a 2-core node starves every exchange
        _loop = new Thread(Run) { IsBackground = true, Name = "message-log-writer" };
        _loop.Start();
    }

    /// <summary>Called on the writer loop after each durable message record (sequence number, record hash). Keep it cheap.</summary>
    public Action<long, byte[], DateTimeOffset>? MessageCommitted { get; set; }

    /// <summary>Called on the writer loop when a segment is closed and a new one started (the closed file's path).</summary>
    public Action<string>? SegmentClosed { get; set; }

    /// <summary>Message records found after a restart that no timestamp record covers yet.</summary>
    public IReadOnlyList<(long Seq, byte[] Hash, DateTimeOffset LoggedAt)> Recovered { get; }

    /// <summary>The sequence number of the last durable record (0 when the log is empty).</summary>
    public long LastSeq => Interlocked.Read(ref _nextSeq) - 1;

    /// <summary>
    /// Why the log stopped accepting records, if it did; otherwise why the last write failed, until a write succeeds
    /// again (exchanges are failing meanwhile, so health must not say all is well).
    /// </summary>
    public string? Failure => _stopped?.Message ?? _writeError;

    public string Directory => _options.Directory;

    /// <summary>The key stored bodies are encrypted with (null: stored as signed); evidence containers decrypt with it. Owned by the writer.</summary>
    public BodyCipher? BodyCipher => _cipher;

    public string CurrentSegment => _segmentPath;

    /// <summary>Opens (or creates) the log in <see cref="MessageLogWriterOptions.Directory"/>, repairing a torn tail left by a crash.</summary>
    public static MessageLogWriter Open(MessageLogWriterOptions options, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        System.IO.Directory.CreateDirectory(options.Directory);
        var lockFile = TakeLock(options.Directory);
        try
        {
            var segments = LogSegment.List(options.Directory);
            var recovery = LogRecovery.Run(segments);
            var writer = new MessageLogWriter(options, time ?? TimeProvider.System, logger ?? NullLogger.Instance, recovery) { _lockFile = lockFile };
            if (recovery.Cut is var (bytes, keptIn))
            {
                LogTornTail(writer._logger, bytes, segments[^1], keptIn);
            }

            if (segments.Count == 0)
            {
                writer.StartSegment();
            }
            else
            {
                writer.ContinueSegment(segments[^1], recovery.LastSegmentStartedAt);
            }

            return writer;
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    // one writer per directory: a second process with the same state directory would overwrite acknowledged records
    private static FileStream TakeLock(string directory)
    {
        try
        {
            return new FileStream(Path.Combine(directory, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new MessageLogException($"The message log in {directory} is in use by another process (is a second security server running with the same state directory?).", e);
        }
    }

    /// <summary>Appends a signed message; completes when the record is durable.</summary>
    public Task<LogPosition> AppendAsync(in MessageEntry entry) =>
        Refusal(LogRecordCodec.Validate(entry)) is { } refused ? Task.FromException<LogPosition>(refused) : Enqueue(new PendingAppend(entry));

    /// <summary>Appends a batch time-stamp; completes when the record is durable.</summary>
    public Task<LogPosition> AppendAsync(in TimestampEntry entry) =>
        Refusal(invalid: null) is { } refused ? Task.FromException<LogPosition>(refused) : Enqueue(new PendingAppend(entry));

    // the queue refuses a write once the log is closed, or stopped after an internal error
    private Task<LogPosition> Enqueue(PendingAppend pending) =>
        _queue.Writer.TryWrite(pending) ? pending.Completion.Task : Task.FromException<LogPosition>(Refusal(invalid: null) ?? Closed());

    /// <summary>Why an append is not taken: the entry is invalid (<paramref name="invalid"/>), or the log stopped or closed; null when it is taken.</summary>
    private MessageLogException? Refusal(string? invalid) =>
        invalid is not null ? new MessageLogException("The message cannot be logged: " + invalid)
        : _stopped is { } stopped ? Stopped(stopped)
        : _closed ? Closed()
        : null;

    private static MessageLogException Stopped(Exception stopped) => new("The message log is stopped: " + stopped.Message, stopped);

    private static MessageLogException Closed() => new("The message log is closed.");

    private void Run()
    {
        var reader = _queue.Reader;
        try
        {
            while (WaitForWork(reader))
            {
                while (_taken.Count < _options.MaxBatchRecords && reader.TryRead(out var pending))
                {
                    if (!pending.IsSignal)
                    {
                        _taken.Add(pending);
                    }
                }

                if (!_riders.IsEmpty)
                {
                    _lastRidersAt = Environment.TickCount64;
                }

                // every rider added before a record just taken is in the queue by now: all of them go first, so that
                // no durable record is ever acknowledged ahead of a rider that came before it. They are not counted
                // against MaxBatchRecords: there is at most one per exchange in flight.
                while (_riders.TryDequeue(out var rider))
                {
                    _batch.Add(rider);
                }

                _batch.AddRange(_taken);
                _taken.Clear();
                Commit();
                _batch.Clear();
            }
        }
        catch (Exception e)
        {
            // a bug, not an I/O failure: stop for good and say so, rather than leave appends hanging
            _stopped = e;
            LogWriterStopped(_logger, e);
            _queue.Writer.TryComplete();
            var error = new MessageLogException("The message log stopped after an internal error: " + e.Message, e);
            Fail(_batch, 0, error);
            Fail(_taken, 0, error);
            while (reader.TryRead(out var left))
            {
                if (!left.IsSignal)
                {
                    left.Completion.TrySetException(error);
                }
            }

            while (_riders.TryDequeue(out var rider))
            {
                rider.Completion.TrySetException(error);
            }
        }
        finally
        {
            _loopEnded.TrySetResult();
        }
    }

    private void Commit()
    {
        if (_stopped is { } stopped)
        {
            Fail(_batch, 0, Stopped(stopped));
            return;
        }

        var done = 0;
        while (done < _batch.Count)
        {
            try
            {
                done = CommitSome(done);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogWriteFailed(_logger, e.Message);
                _writeError = e.Message;
                Fail(_batch, done, new MessageLogException("The message log could not write: " + e.Message, e));
                return;
            }
        }
    }

    /// <summary>Writes the records from <paramref name="start"/> that fit the current segment; returns where it stopped.</summary>
    private int CommitSome(int start)
    {
        var now = _time.GetUtcNow();
        if (_segmentLength > LogSegment.Header.Length
            && (_segmentLength >= _options.MaxSegmentBytes || now - _segmentStartedAt >= _options.MaxSegmentAge))
        {
            Rotate();
        }

        var seq = _nextSeq;
        var previous = _lastHash;
        var used = 0;
        var end = start;
        var hashes = new byte[_batch.Count - start][];
        for (; end < _batch.Count; end++)
        {
            var pending = _batch[end];
            var length = pending.GetLength(_cipher);
            if (end > start && _segmentLength + used + LogSegment.FrameHeaderLength + length > _options.MaxSegmentBytes)
            {
                break; // the rest go to the next segment
            }

            EnsureCapacity(used + LogSegment.FrameHeaderLength + length);
            LogSegment.WriteFrameHeader(_buffer.AsSpan(used), length);
            var record = _buffer.AsSpan(used + LogSegment.FrameHeaderLength, length);
            pending.Encode(record, seq, now, previous, _cipher);
            var hash = SHA256.HashData(record);
            hashes[end - start] = hash;
            previous = hash;
            seq++;
            used += LogSegment.FrameHeaderLength + length;
        }

        try
        {
            RandomAccess.Write(_segment, _buffer.AsSpan(0, used), _segmentLength);
        }
        catch
        {
            TryCutBack();
            throw;
        }

        try
        {
            NativeFile.FlushData(_segment);
        }
        catch (IOException e)
        {
            // after a failed fdatasync the page cache may have dropped the data: never try again on this file
            _stopped = e;
            throw;
        }

        _segmentLength += used;
        DropDurablePages();

        _writeError = null;
        var first = _nextSeq;
        _lastHash = previous;
        Interlocked.Exchange(ref _nextSeq, seq);
        var committed = MessageCommitted;
        for (var i = start; i < end; i++)
        {
            var position = new LogPosition(first + (i - start), hashes[i - start]);
            if (_batch[i].IsMessage && committed is not null)
            {
                try
                {
                    committed(position.Seq, position.Hash, now);
                }
                catch (Exception e)
                {
                    LogObserverFailed(_logger, e);
                }
            }

            _batch[i].Completion.TrySetResult(position);
        }

        return end;
    }

    // whole pages only: dropping the partly written last page would make the next append read it back from disk first
    private void DropDurablePages()
    {
        var through = _segmentLength & ~(long)(NativeFile.PageSize - 1);
        if (through - _droppedThrough >= DropChunk)
        {
            NativeFile.DropFromPageCache(_segment, _droppedThrough, through - _droppedThrough);
            _droppedThrough = through;
        }
    }

    private void TryCutBack()
    {
        try
        {
            RandomAccess.SetLength(_segment, _segmentLength);
        }
        catch (IOException e)
        {
            _stopped = e;
        }
    }

    private void Rotate()
    {
        var closed = _segmentPath;
        NativeFile.FlushData(_segment);
        StartSegment();
        SegmentClosed?.Invoke(closed);
    }

    private void StartSegment()
    {
        // header first, under a temporary name: a crash never leaves a segment without its header
        var path = Path.Combine(_options.Directory, LogSegment.FileName(_nextSeq));
        var temporary = path + ".new";
        var handle = File.OpenHandle(temporary, FileMode.Create, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            RandomAccess.Write(handle, LogSegment.Header, 0);
            NativeFile.FlushData(handle);
            File.Move(temporary, path, overwrite: false);
            NativeFile.FlushDirectory(_options.Directory);
        }
        catch
        {
            handle.Dispose();
            File.Delete(temporary);
            throw;
        }

        _segment?.Dispose();
        _segment = handle;
        _segmentPath = path;
        _segmentLength = LogSegment.Header.Length;
        _droppedThrough = 0;
        _segmentStartedAt = _time.GetUtcNow();
    }

    private void ContinueSegment(string path, DateTimeOffset? startedAt)
    {
        _segment = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        _segmentPath = path;
        _segmentLength = RandomAccess.GetLength(_segment);
        _segmentStartedAt = startedAt ?? _time.GetUtcNow();
    }

    private void EnsureCapacity(int needed)
    {
        if (needed > _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
            _buffer.AsSpan().CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
    }

    private static void Fail(List<PendingAppend> batch, int start, Exception error)
    {
        for (var i = start; i < batch.Count; i++)
        {
            batch[i].Completion.TrySetException(error);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _closed = true;
        _queue.Writer.TryComplete();
        await _loopEnded.Task.ConfigureAwait(false);
        _segment?.Dispose();
        _cipher?.Dispose();
        _lockFile?.Dispose();
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Message log: cut off a torn tail of {Bytes} bytes in {Segment} (a write a crash interrupted, never acknowledged); the bytes are kept in {KeptIn}")]
    private static partial void LogTornTail(ILogger logger, long bytes, string segment, string keptIn);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Critical, Message = "Message log writer stopped after an internal error; no record is accepted until restart")]
    private static partial void LogWriterStopped(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Error, Message = "A message-log observer failed (the record is durable)")]
    private static partial void LogObserverFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Error, Message = "Message log write failed; the exchanges in this group commit fail: {Error}")]
    private static partial void LogWriteFailed(ILogger logger, string error);
}
