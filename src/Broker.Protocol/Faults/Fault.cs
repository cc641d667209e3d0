namespace Broker.Protocol.Faults;

/// <summary>
/// An expected failure: a stable X-Road style fault code (see docs/fault-codes.md), the HTTP status it travels
/// with, and a message safe to show to the caller (never a secret or a message body).
/// </summary>
public sealed record Fault(string Code, string Message, int HttpStatus)
{
    /// <summary>A random id that ties the answer to the operator's log line, as X-Road's fault detail does.</summary>
    public string Detail { get; init; } = Guid.NewGuid().ToString("D");

    public override string ToString() => $"{Code}: {Message}";
}
