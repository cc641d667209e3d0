namespace Broker.MessageLog.Records;

/// <summary>What the log keeps of a subsystem's messages (docs/message-log.md#modes).</summary>
public enum LogMode
{
    /// <summary>Heads, bodies and signature documents.</summary>
    Full,

    /// <summary>Heads and signature documents; bodies are left out (their digests stay signed in the signature document).</summary>
    Metadata,

    /// <summary>Nothing is logged.</summary>
    Off,
}
