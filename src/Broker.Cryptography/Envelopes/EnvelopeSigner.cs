using System.Security.Cryptography;
using Broker.Cryptography.Xml;
using Broker.Protocol.Envelopes;

namespace Broker.Cryptography.Envelopes;

/// <summary>Signs a message head and body into an envelope: one SHA-512 per part, one signature per message.</summary>
public sealed class EnvelopeSigner
{
    public const string HeadPart = "head";
    public const string BodyPart = "body";

    private readonly SignatureDocumentWriter _writer;
    private readonly TimeProvider _time;

    public EnvelopeSigner(SignatureDocumentWriter writer, TimeProvider time)
    {
        _writer = writer;
        _time = time;
    }

    public SignedEnvelope Sign(EnvelopeKind kind, byte[] head, ReadOnlyMemory<byte> body)
    {
        ArgumentNullException.ThrowIfNull(head);
        var headDigest = SHA512.HashData(head);
        var bodyDigest = body.IsEmpty ? [] : SHA512.HashData(body.Span);
        SignedPart[] parts = body.IsEmpty
            ? [new SignedPart(HeadPart, headDigest)]
            : [new SignedPart(HeadPart, headDigest), new SignedPart(BodyPart, bodyDigest)];
        var signature = _writer.Write(_time.GetUtcNow(), parts);
        var bytes = new byte[Envelope.GetLength(head.Length, body.Length, signature.Length)];
        Envelope.Write(bytes, kind, head, body.Span, signature);
        return new SignedEnvelope(bytes, headDigest, bodyDigest);
    }
}
