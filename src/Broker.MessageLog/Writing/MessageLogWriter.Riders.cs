using System.Collections.Concurrent;
using System.Threading.Channels;
using Broker.MessageLog.Records;

namespace Broker.MessageLog.Writing;

// Riders: records appended without a group commit of their own (an exchange's request), written with the next durable
// append, ahead of it.
public sealed partial class MessageLogWriter
{
    private const long QuietAfterMilliseconds = 1000;
    private readonly ConcurrentQueue<PendingAppend> _riders = new();
    private Task<bool>? _waiting;
    private long _lastRidersAt = long.MinValue / 2; // Environment.TickCount64 when the loop last took riders
    private int _sleeping; // 1 while the loop sleeps without looking for riders

    /// <summary>
    /// Appends a signed message without asking for it to be durable now, so that no group commit is started for it: it
    /// is written with the next durable append of anyone, ahead of that record, or when
    /// <see cref="RecordTicket.WhenDurableAsync"/> asks for it, or after <see cref="MessageLogWriterOptions.RiderDelay"/>
    /// when nothing else comes. An exchange's request rides with its response this way: one commit per exchange, and since
    /// the request is added before the response, the response being durable means the request is too.
    /// </summary>
    public RecordTicket AppendWithNext(in MessageEntry entry)
    {
        if (Refusal(LogRecordCodec.Validate(entry)) is { } refused)
        {
            return new RecordTicket(Task.FromException<LogPosition>(refused), null);
        }

        var pending = new PendingAppend(entry);
        _riders.Enqueue(pending);
        // a loop that saw no rider for a while sleeps without looking for them: the first one wakes it
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _sleeping) == 1 && Interlocked.CompareExchange(ref _sleeping, 0, 1) == 1)
        {
            _queue.Writer.TryWrite(PendingAppend.RiderAdded);
        }

        return new RecordTicket(pending.Completion.Task, this);
    }

    /// <summary>Has the loop write the riders now (a rider's appender wants to know it is durable).</summary>
    internal void Wake()
    {
        if (!_queue.Writer.TryWrite(PendingAppend.Flush))
        {
            // closed: the loop writes the riders it finds before it ends; those added after, nothing will write
            _loopEnded.Task.ContinueWith(static (_, state) => ((MessageLogWriter)state!).FailRiders(), this, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }

    private void FailRiders()
    {
        var closed = Closed();
        while (_riders.TryDequeue(out var left))
        {
            left.Completion.TrySetException(closed);
        }
    }

    // True when there is something to write (records, riders due, or a Flush); false once the log is closed and all is
    // written. Riders do not wake the loop (that would cost the very wake-up they save): while it waits, it looks for
    // them every RiderDelay. After a second without riders (no traffic, or none logged with AppendWithNext) it stops
    // looking and sleeps until the next append; the first rider then wakes it with RiderAdded, which asks for no
    // commit, only for the RiderDelay wait to start.
    private bool WaitForWork(ChannelReader<PendingAppend> reader)
    {
        while (true)
        {
            while (reader.TryPeek(out var next) && next == PendingAppend.RiderAdded)
            {
                reader.TryRead(out _);
            }

            if (reader.TryPeek(out _))
            {
                return true;
            }

            _waiting ??= reader.WaitToReadAsync().AsTask();
            if (_riders.IsEmpty && Environment.TickCount64 - _lastRidersAt > QuietAfterMilliseconds)
            {
                Interlocked.Exchange(ref _sleeping, 1);
                if (_riders.IsEmpty)
                {
                    _waiting.Wait();
                }

                Interlocked.Exchange(ref _sleeping, 0);
            }
            else if (!_waiting.Wait(_options.RiderDelay) && !_riders.IsEmpty)
            {
                return true; // they waited long enough
            }

            if (_waiting.IsCompleted)
            {
                var more = _waiting.GetAwaiter().GetResult();
                _waiting = null;
                if (!more)
                {
                    return !_riders.IsEmpty; // closed: the riders left are written before the loop ends
                }
            }
        }
    }
}
