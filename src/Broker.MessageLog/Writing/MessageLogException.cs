namespace Broker.MessageLog.Writing;

/// <summary>A record could not be made durable; the exchange it belongs to must fail.</summary>
public sealed class MessageLogException : IOException
{
    public MessageLogException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }

    public MessageLogException()
    {
    }

    public MessageLogException(string message)
        : base(message)
    {
    }
}
