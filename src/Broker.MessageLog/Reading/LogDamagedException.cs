namespace Broker.MessageLog.Reading;

/// <summary>
/// A log file that has to be read whole cannot be: a record does not decode, the file is no segment or is cut short,
/// or the records a time-stamp covers are missing or no longer hash to its root. What was asked of the log (an evidence
/// container, an archive) cannot be made from it truthfully; <c>broker audit verify</c> names the damage.
/// </summary>
public sealed class LogDamagedException : IOException
{
    public LogDamagedException()
    {
    }

    public LogDamagedException(string message)
        : base(message)
    {
    }

    public LogDamagedException(string message, Exception? inner)
        : base(message, inner)
    {
    }
}
