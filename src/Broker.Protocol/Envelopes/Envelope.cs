using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Broker.Protocol.Envelopes;

/// <summary>
/// The signed envelope that travels between security servers through the router (docs/protocol.md):
/// <code>
/// "BRK1" kind:u8 ( type:u8 length:u32be payload )*      frames in this order: head, body (only when non-empty), signature
/// </code>
/// The signature frame is last so that a sender can hash the body while it streams.
/// A parsed envelope holds slices of the received buffer; it copies nothing.
/// </summary>
public readonly struct Envelope
{
    public const string MediaType = "application/x-broker-envelope";
    public const int PreambleLength = 5;
    public const int FrameHeaderLength = 5;

    /// <summary>
    /// Room an envelope may take beyond its body limit: framing, the signed head and the signature document.
    /// Every hop bounds an envelope by the body limit plus this, so all hops agree on what fits.
    /// </summary>
    public const int MaxOverhead = 64 * 1024;

    /// <summary>The largest envelope that can carry a body of <paramref name="maxBodyBytes"/>.</summary>
    public static int MaxLength(int maxBodyBytes) => maxBodyBytes + MaxOverhead;
    private const byte HeadFrame = 1;
    private const byte BodyFrame = 2;
    private const byte SignatureFrame = 3;
    private static ReadOnlySpan<byte> Magic => "BRK1"u8;

    private Envelope(EnvelopeKind kind, ReadOnlyMemory<byte> head, ReadOnlyMemory<byte> body, ReadOnlyMemory<byte> signature)
    {
        Kind = kind;
        Head = head;
        Body = body;
        Signature = signature;
    }

    public EnvelopeKind Kind { get; }

    /// <summary>The serialized <see cref="Rest.RestRequestHead"/> or <see cref="Rest.RestResponseHead"/>.</summary>
    public ReadOnlyMemory<byte> Head { get; }

    /// <summary>The body bytes; empty when the message has none.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The detached XML-DSig signature document.</summary>
    public ReadOnlyMemory<byte> Signature { get; }

    /// <summary>The exact number of bytes <see cref="Write"/> produces.</summary>
    public static int GetLength(int headLength, int bodyLength, int signatureLength) =>
        PreambleLength + FrameHeaderLength + headLength + (bodyLength > 0 ? FrameHeaderLength + bodyLength : 0)
        + FrameHeaderLength + signatureLength;

    /// <summary>Writes an envelope into <paramref name="destination"/>, which is at least <see cref="GetLength"/> long.</summary>
    public static int Write(Span<byte> destination, EnvelopeKind kind, ReadOnlySpan<byte> head, ReadOnlySpan<byte> body, ReadOnlySpan<byte> signature)
    {
        Magic.CopyTo(destination);
        destination[4] = (byte)kind;
        var offset = PreambleLength;
        offset += WriteFrame(destination[offset..], HeadFrame, head);
        if (!body.IsEmpty)
        {
            offset += WriteFrame(destination[offset..], BodyFrame, body);
        }

        offset += WriteFrame(destination[offset..], SignatureFrame, signature);
        return offset;
    }

    /// <summary>Reads only the preamble and the head frame, which is all the router needs to route.</summary>
    public static bool TryReadHead(ReadOnlySpan<byte> data, out EnvelopeKind kind, out ReadOnlySpan<byte> head)
    {
        head = default;
        kind = default;
        if (data.Length < PreambleLength || !data[..4].SequenceEqual(Magic) || !Enum.IsDefined((EnvelopeKind)data[4]))
        {
            return false;
        }

        kind = (EnvelopeKind)data[4];
        return TryReadFrame(data[PreambleLength..], out var type, out head, out _) && type == HeadFrame;
    }

    /// <summary>Parses a whole envelope; false when the framing is broken, a frame is missing or bytes trail it.</summary>
    public static bool TryParse(ReadOnlyMemory<byte> data, [NotNullWhen(true)] out Envelope? envelope)
    {
        envelope = null;
        var span = data.Span;
        if (!TryReadHead(span, out var kind, out var head))
        {
            return false;
        }

        var offset = PreambleLength + FrameHeaderLength + head.Length;
        var headMemory = data.Slice(PreambleLength + FrameHeaderLength, head.Length);
        if (!TryReadFrame(span[offset..], out var type, out var payload, out var used))
        {
            return false;
        }

        var body = ReadOnlyMemory<byte>.Empty;
        if (type == BodyFrame)
        {
            if (payload.IsEmpty)
            {
                return false;
            }

            body = data.Slice(offset + FrameHeaderLength, payload.Length);
            offset += used;
            if (!TryReadFrame(span[offset..], out type, out payload, out used))
            {
                return false;
            }
        }

        if (type != SignatureFrame || offset + used != data.Length)
        {
            return false;
        }

        envelope = new Envelope(kind, headMemory, body, data.Slice(offset + FrameHeaderLength, payload.Length));
        return true;
    }

    private static int WriteFrame(Span<byte> destination, byte type, ReadOnlySpan<byte> payload)
    {
        destination[0] = type;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], (uint)payload.Length);
        payload.CopyTo(destination[FrameHeaderLength..]);
        return FrameHeaderLength + payload.Length;
    }

    private static bool TryReadFrame(ReadOnlySpan<byte> data, out byte type, out ReadOnlySpan<byte> payload, out int used)
    {
        type = 0;
        payload = default;
        used = 0;
        if (data.Length < FrameHeaderLength)
        {
            return false;
        }

        type = data[0];
        var length = BinaryPrimitives.ReadUInt32BigEndian(data[1..]);
        if (length > (uint)(data.Length - FrameHeaderLength))
        {
            return false;
        }

        payload = data.Slice(FrameHeaderLength, (int)length);
        used = FrameHeaderLength + (int)length;
        return true;
    }
}
