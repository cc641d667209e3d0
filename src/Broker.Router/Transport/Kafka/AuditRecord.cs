using System.Buffers;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using Broker.Protocol.Envelopes;
using Broker.Protocol.Rest;

namespace Broker.Router.Transport.Kafka;

/// <summary>
/// One exchange as the audit topic keeps it: metadata, and per message its head, the SHA-512 of its body, its
/// signature document, and the body itself only when the subsystems' policy allows. Enough for an auditor to replay
/// the signature checks; JSON, readable with kcat.
/// </summary>
internal static class AuditRecord
{
    // the signature documents stay readable XML in kcat's output (the record is JSON data, never embedded in HTML)
    private static readonly JsonWriterOptions s_json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The record's JSON. <paramref name="maxBytes"/>: the largest record the producer accepts; when the bodies would
    /// make the record larger, it is written with digests only and <c>bodiesOmitted</c> says why, so the evidence is
    /// still written instead of being refused as too large.
    /// </summary>
    public static byte[] Write(
        DateTimeOffset at, string correlation, string providerServer, string providerSubsystem,
        ReadOnlyMemory<byte> request, DeliveryResult answer, bool keepBodies, int maxBytes = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var record = WriteJson(at, correlation, providerServer, providerSubsystem, request, answer, keepBodies, omitted: false);
        return keepBodies && record.Length > maxBytes
            ? WriteJson(at, correlation, providerServer, providerSubsystem, request, answer, keepBodies: false, omitted: true)
            : record;
    }

    private static byte[] WriteJson(
        DateTimeOffset at, string correlation, string providerServer, string providerSubsystem,
        ReadOnlyMemory<byte> request, DeliveryResult answer, bool keepBodies, bool omitted)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(buffer, s_json))
        {
            json.WriteStartObject();
            json.WriteString("exchangedAt", at);
            json.WriteString("correlation", correlation);
            json.WriteString("providerServer", providerServer);
            json.WriteString("providerSubsystem", providerSubsystem);
            if (omitted)
            {
                json.WriteString("bodiesOmitted", "The bodies would make the record exceed the transport's record size limit; their SHA-512 digests are kept.");
            }

            if (Envelope.TryParse(request, out var envelope) && RestRequestHead.TryParse(envelope.Value.Head.Span, out var head))
            {
                json.WriteString("client", head.Headers.GetLast(XRoadHeaders.Client));
                json.WriteString("messageId", head.Headers.GetLast(XRoadHeaders.Id));
                json.WriteString("method", head.Method);
                json.WriteString("uri", head.RawUri);
                Message(json, "request", envelope.Value, keepBodies);
            }

            json.WriteNumber("status", answer.StatusCode);
            if (answer.ErrorCode is not null)
            {
                json.WriteString("error", answer.ErrorCode);
            }
            else if (Envelope.TryParse(answer.Body, out var response))
            {
                Message(json, "response", response.Value, keepBodies);
            }

            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void Message(Utf8JsonWriter json, string name, Envelope envelope, bool keepBody)
    {
        json.WriteStartObject(name);
        json.WriteBase64String("head", envelope.Head.Span);
        json.WriteString("bodySha512", envelope.Body.IsEmpty ? "" : Convert.ToBase64String(SHA512.HashData(envelope.Body.Span)));
        if (keepBody && !envelope.Body.IsEmpty)
        {
            json.WriteBase64String("body", envelope.Body.Span);
        }

        json.WriteString("signature", System.Text.Encoding.UTF8.GetString(envelope.Signature.Span));
        json.WriteEndObject();
    }
}
