using Broker.MessageLog.Records;

namespace Broker.MessageLog.Writing;

/// <summary>One record waiting for the writer loop, and the task its appender awaits.</summary>
internal sealed class PendingAppend
{
    private readonly MessageEntry _message;
    private readonly TimestampEntry _timestamp;

    public PendingAppend(in MessageEntry message)
    {
        _message = message;
        IsMessage = true;
    }

    public PendingAppend(in TimestampEntry timestamp) => _timestamp = timestamp;

    private PendingAppend()
    {
    }

    /// <summary>Not a record: has the writer loop write the riders now (<see cref="MessageLogWriter.Wake"/>).</summary>
    public static PendingAppend Flush { get; } = new();

    /// <summary>Not a record: wakes a writer loop that sleeps without looking for riders (the first rider after a quiet spell).</summary>
    public static PendingAppend RiderAdded { get; } = new();

    public bool IsMessage { get; }

    /// <summary>True for <see cref="Flush"/> and <see cref="RiderAdded"/>, which carry no record.</summary>
    public bool IsSignal => ReferenceEquals(this, Flush) || ReferenceEquals(this, RiderAdded);

    public TaskCompletionSource<LogPosition> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int GetLength(BodyCipher? cipher) => IsMessage
        ? LogRecordCodec.GetMessageLength(_message, StoredBodyLength(cipher))
        : LogRecordCodec.GetTimestampLength(_timestamp.Token.Length);

    public void Encode(Span<byte> destination, long seq, DateTimeOffset now, ReadOnlySpan<byte> previousHash, BodyCipher? cipher)
    {
        if (!IsMessage)
        {
            LogRecordCodec.WriteTimestamp(destination, seq, now, previousHash, _timestamp);
            return;
        }

        var storage = Storage(cipher);
        var bodyLength = StoredBodyLength(cipher);
        LogRecordCodec.WriteMessage(destination, seq, now, previousHash, _message, storage, bodyLength, out var bodyOffset);
        var slot = destination.Slice(bodyOffset, bodyLength);
        if (storage == BodyStorage.Plain)
        {
            _message.Body.Span.CopyTo(slot);
        }
        else if (storage == BodyStorage.Encrypted)
        {
            cipher!.Encrypt(seq, _message.Body.Span, slot);
        }
    }

    private BodyStorage Storage(BodyCipher? cipher) =>
        _message.Body.IsEmpty ? BodyStorage.None
        : _message.Mode == LogMode.Metadata ? BodyStorage.Omitted
        : cipher is null ? BodyStorage.Plain
        : BodyStorage.Encrypted;

    private int StoredBodyLength(BodyCipher? cipher) => Storage(cipher) switch
    {
        BodyStorage.Plain => _message.Body.Length,
        BodyStorage.Encrypted => BodyCipher.GetStoredLength(_message.Body.Length),
        _ => 0,
    };
}
