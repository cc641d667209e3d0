namespace Broker.Cryptography.Timestamping;

/// <summary>A time-stamp could not be obtained from a TSA; <see cref="Kind"/> says why, <see cref="IsTransient"/> whether to retry.</summary>
public sealed class TimestampException : Exception
{
    public TimestampException()
    {
    }

    public TimestampException(string message)
        : base(message)
    {
    }

    public TimestampException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TimestampException(TimestampFailure kind, string message, bool isTransient = false, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        IsTransient = isTransient;
    }

    public TimestampFailure Kind { get; }

    /// <summary>True when the same request may succeed later (the TSA is down, overloaded or out of time).</summary>
    public bool IsTransient { get; }
}
