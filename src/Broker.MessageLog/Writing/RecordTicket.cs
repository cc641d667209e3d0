using Broker.MessageLog.Records;

namespace Broker.MessageLog.Writing;

/// <summary>A record added with <see cref="MessageLogWriter.AppendWithNext"/>, not necessarily durable yet.</summary>
public readonly struct RecordTicket
{
    private readonly Task<LogPosition>? _durable;
    private readonly MessageLogWriter? _writer;

    internal RecordTicket(Task<LogPosition> durable, MessageLogWriter? writer)
    {
        _durable = durable;
        _writer = writer;
    }

    /// <summary>False for the default ticket, which stands for no record (its exchange is not logged).</summary>
    public bool HasRecord => _durable is not null;

    /// <summary>True once the record is durable or has failed (and for the default ticket).</summary>
    public bool IsCompleted => _durable is null || _durable.IsCompleted;

    /// <summary>True once the record is durable (and for the default ticket: there is nothing to wait for).</summary>
    public bool IsDurable => _durable is null || _durable.IsCompletedSuccessfully;

    /// <summary>Completes when the record is durable; has the writer write it now if it has not yet.</summary>
    public Task<LogPosition> WhenDurableAsync()
    {
        if (_durable is null)
        {
            throw new InvalidOperationException("The default ticket stands for no record.");
        }

        if (!_durable.IsCompleted)
        {
            _writer?.Wake();
        }

        return _durable;
    }
}
