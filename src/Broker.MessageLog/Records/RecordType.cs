namespace Broker.MessageLog.Records;

/// <summary>What a log record holds.</summary>
public enum RecordType : byte
{
    /// <summary>A signed request or response as it was sent or received.</summary>
    Message = 1,

    /// <summary>An RFC 3161 token over the Merkle root of a batch of earlier message records.</summary>
    Timestamp = 2,
}
