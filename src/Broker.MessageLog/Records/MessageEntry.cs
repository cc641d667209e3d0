using Broker.Protocol.Envelopes;

namespace Broker.MessageLog.Records;

/// <summary>
/// A signed message to log: the head and body exactly as signed, and the signature document. The buffers must stay
/// valid until the append completes.
/// </summary>
public readonly record struct MessageEntry(
    EnvelopeKind Kind,
    string MessageId,
    string Client,
    string Service,
    ReadOnlyMemory<byte> Head,
    ReadOnlyMemory<byte> Body,
    ReadOnlyMemory<byte> Signature,
    LogMode Mode);
