using Broker.Cryptography.Hashing;
using Broker.MessageLog.Records;
using Broker.MessageLog.Writing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Broker.MessageLog.Timestamping;

/// <summary>
/// Time-stamps the message log in batches: every <see cref="BatchTimestamperOptions.Interval"/> (or sooner when a full
/// batch waits) it builds a Merkle tree over the hashes of the waiting message records, asks the TSA for one token over
/// its root, and appends a timestamp record naming the range. When no TSA answers, the records wait and traffic goes
/// on; health warns once the oldest has waited <see cref="BatchTimestamperOptions.WarningAfter"/>, and after
/// <see cref="BatchTimestamperOptions.GracePeriod"/> <see cref="AcceptsNewExchanges"/> turns false until the backlog is stamped.
/// </summary>
public sealed partial class BatchTimestamper : IAsyncDisposable
{
    private readonly MessageLogWriter _log;
    private readonly ITimestampSource _source;
    private readonly BatchTimestamperOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly List<(long Seq, byte[] Leaf, DateTimeOffset LoggedAt)> _waiting = [];
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly SemaphoreSlim _stamping = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private DateTimeOffset? _lastStampedAt;
    private long _stampedThrough;
    private long _tokens;
    private string? _lastError;

    public BatchTimestamper(MessageLogWriter log, ITimestampSource source, BatchTimestamperOptions options, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        _log = log;
        _source = source;
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        foreach (var (seq, hash, loggedAt) in log.Recovered)
        {
            _waiting.Add((seq, MerkleTree.LeafHash(hash), loggedAt));
        }

        log.MessageCommitted = OnCommitted;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The sequence number of the oldest message record waiting for a time-stamp, if any.</summary>
    public long? OldestWaitingSeq
    {
        get
        {
            lock (_lock)
            {
                return _waiting.Count == 0 ? null : _waiting[0].Seq;
            }
        }
    }

    /// <summary>The last message record covered by a timestamp record.</summary>
    public long StampedThrough => Interlocked.Read(ref _stampedThrough);

    /// <summary>False once the oldest waiting record has waited the whole grace period: new exchanges must fail.</summary>
    public bool AcceptsNewExchanges(out DateTimeOffset? oldestWaitingSince)
    {
        lock (_lock)
        {
            oldestWaitingSince = _waiting.Count == 0 ? null : _waiting[0].LoggedAt;
        }

        return oldestWaitingSince is null || _time.GetUtcNow() - oldestWaitingSince < _options.GracePeriod;
    }

    public TimestampStatus Status
    {
        get
        {
            int backlog;
            DateTimeOffset? oldest;
            lock (_lock)
            {
                backlog = _waiting.Count;
                oldest = backlog == 0 ? null : _waiting[0].LoggedAt;
            }

            var waited = oldest is null ? TimeSpan.Zero : _time.GetUtcNow() - oldest.Value;
            var state = waited >= _options.GracePeriod ? "failing" : waited >= _options.WarningAfter ? "warning" : "ok";
            return new TimestampStatus(state, backlog, oldest, oldest + _options.GracePeriod, _lastStampedAt, StampedThrough, Interlocked.Read(ref _tokens), _lastError);
        }
    }

    /// <summary>Stamps everything waiting now (tests and shutdown); true when nothing is left waiting.</summary>
    public async Task<bool> FlushAsync(CancellationToken cancellationToken)
    {
        await _stamping.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await StampWaitingAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _stamping.Release();
        }
    }

    private async Task<bool> StampWaitingAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            int count;
            lock (_lock)
            {
                count = _waiting.Count;
            }

            if (count == 0)
            {
                return true;
            }

            if (!await StampBatchAsync(cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
        }
    }

    private void OnCommitted(long seq, byte[] hash, DateTimeOffset loggedAt)
    {
        var leaf = MerkleTree.LeafHash(hash);
        bool full;
        lock (_lock)
        {
            _waiting.Add((seq, leaf, loggedAt));
            full = _waiting.Count == _options.MaxBatch;
        }

        if (full && _wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
            }
        }
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(_options.Interval, token).ConfigureAwait(false);
                await FlushAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>One token for up to <see cref="BatchTimestamperOptions.MaxBatch"/> of the oldest waiting records.</summary>
    private async Task<bool> StampBatchAsync(CancellationToken cancellationToken)
    {
        List<byte[]> leaves;
        long first, last;
        lock (_lock)
        {
            var count = Math.Min(_waiting.Count, _options.MaxBatch);
            leaves = new List<byte[]>(count);
            for (var i = 0; i < count; i++)
            {
                leaves.Add(_waiting[i].Leaf);
            }

            first = _waiting[0].Seq;
            last = _waiting[count - 1].Seq;
        }

        var root = MerkleTree.ComputeRoot(leaves);
        StampedRoot stamped;
        try
        {
            stamped = await _source.StampAsync(root, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _lastError = e.Message;
            LogStampFailed(_logger, leaves.Count, e.Message);
            return false;
        }

        try
        {
            await _log.AppendAsync(new TimestampEntry(first, last, leaves.Count, root, stamped.Token)).ConfigureAwait(false);
        }
        catch (MessageLogException e)
        {
            _lastError = e.Message;
            return false;
        }

        lock (_lock)
        {
            _waiting.RemoveRange(0, leaves.Count);
        }

        _lastStampedAt = stamped.GenTime;
        _lastError = null;
        Interlocked.Exchange(ref _stampedThrough, last);
        Interlocked.Increment(ref _tokens);
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _log.MessageCommitted = null;
        _stop.Dispose();
        _wake.Dispose();
        _stamping.Dispose();
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "Time-stamping {Count} log records failed; they wait for the next attempt: {Error}")]
    private static partial void LogStampFailed(ILogger logger, int count, string error);
}
