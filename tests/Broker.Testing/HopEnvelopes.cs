using Broker.Cryptography.Envelopes;
using Broker.Cryptography.Signing;
using Broker.Cryptography.Xml;
using Broker.Protocol.Envelopes;
using Broker.Protocol.Rest;

namespace Broker.Testing;

/// <summary>
/// Builds by hand what travels between hops (docs/protocol.md §3), as a hostile peer would: request heads, envelopes
/// signed with a chosen key, and copies of a signed envelope with one part changed after signing.
/// </summary>
public static class HopEnvelopes
{
    /// <summary>A request head as a consumer's client proxy writes it: the client, the given headers, a request id.</summary>
    public static RestRequestHead RequestHead(string method, string rawUri, string client, params (string Name, string Value)[] headers)
    {
        var list = new HeaderList();
        list.Add(XRoadHeaders.Client, client);
        foreach (var (name, value) in headers)
        {
            list.Add(name, value);
        }

        list.Add("x-road-request-id", Guid.NewGuid().ToString("D"));
        return new RestRequestHead(method, rawUri, list);
    }

    /// <summary>A copy of <paramref name="head"/> with its method, URI or headers changed.</summary>
    public static RestRequestHead With(this RestRequestHead head, string? method = null, string? rawUri = null, Action<HeaderList>? headers = null)
    {
        var list = new HeaderList();
        list.AddRange(head.Headers);
        headers?.Invoke(list);
        return new RestRequestHead(method ?? head.Method, rawUri ?? head.RawUri, list);
    }

    /// <summary>A request envelope over <paramref name="head"/> and <paramref name="body"/>, signed with <paramref name="key"/>.</summary>
    public static byte[] Sign(ISigningKey key, RestRequestHead head, byte[] body, TimeProvider time) =>
        new EnvelopeSigner(new SignatureDocumentWriter(key), time).Sign(EnvelopeKind.Request, head.Serialize(), body).Bytes;

    /// <summary>The envelope with its head replaced after signing; body and signature document as they were.</summary>
    public static byte[] WithHead(byte[] envelope, byte[] head)
    {
        var parsed = Parse(envelope);
        return Write(parsed.Kind, head, parsed.Body.Span, parsed.Signature.Span);
    }

    /// <summary>The envelope with its body replaced after signing (empty: no body frame); head and signature as they were.</summary>
    public static byte[] WithBody(byte[] envelope, ReadOnlySpan<byte> body)
    {
        var parsed = Parse(envelope);
        return Write(parsed.Kind, parsed.Head.Span, body, parsed.Signature.Span);
    }

    /// <summary>The envelope carrying the signature document of <paramref name="donor"/> instead of its own.</summary>
    public static byte[] WithSignatureOf(byte[] envelope, byte[] donor)
    {
        var parsed = Parse(envelope);
        return Write(parsed.Kind, parsed.Head.Span, parsed.Body.Span, Parse(donor).Signature.Span);
    }

    public static Envelope Parse(byte[] envelope) =>
        Envelope.TryParse(envelope, out var parsed) ? parsed.Value : throw new ArgumentException("Not a well-formed envelope.", nameof(envelope));

    private static byte[] Write(EnvelopeKind kind, ReadOnlySpan<byte> head, ReadOnlySpan<byte> body, ReadOnlySpan<byte> signature)
    {
        var bytes = new byte[Envelope.GetLength(head.Length, body.Length, signature.Length)];
        Envelope.Write(bytes, kind, head, body, signature);
        return bytes;
    }
}
