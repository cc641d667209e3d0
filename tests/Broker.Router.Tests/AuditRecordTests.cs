using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Broker.Protocol.Envelopes;
using Broker.Router.Transport;
using Broker.Router.Transport.Kafka;

namespace Broker.Router.Tests;

/// <summary>
/// An audit record that would be larger than the producer accepts (bodies are kept base64, so up to 2.7 times the
/// envelope limit) is written with digests only, saying so, instead of being refused and lost.
/// </summary>
public sealed class AuditRecordTests
{
    private static readonly byte[] s_body = RandomNumberGenerator.GetBytes(30_000);

    private static byte[] Envelope(EnvelopeKind kind, string head)
    {
        var headBytes = Encoding.UTF8.GetBytes(head);
        var signature = "<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\"/>"u8;
        var bytes = new byte[Broker.Protocol.Envelopes.Envelope.GetLength(headBytes.Length, s_body.Length, signature.Length)];
        Broker.Protocol.Envelopes.Envelope.Write(bytes, kind, headBytes, s_body, signature);
        return bytes;
    }

    private static JsonDocument Write(bool keepBodies, int maxBytes)
    {
        var request = Envelope(EnvelopeKind.Request, "POST\r\n/r1/MN/GOV/GASR/civil-registry/citizens/echo\r\nx-road-client:MN/GOV/LAND/land-services\r\nx-road-id:m-1\r\n");
        using var answer = new DeliveryResult(200, "application/vnd.broker.envelope", null, Envelope(EnvelopeKind.Response, "200\r\nx-road-id:m-1\r\n"));
        return JsonDocument.Parse(AuditRecord.Write(
            DateTimeOffset.UnixEpoch, "c-1", "MN/GOV/GASR/ss1", "MN/GOV/GASR/civil-registry", request, answer, keepBodies, maxBytes));
    }

    [Fact]
    public void Write_BodiesKeptWithinTheLimit_CarriesThemWithTheirDigests()
    {
        using var record = Write(keepBodies: true, maxBytes: 100_000);

        Assert.Equal("m-1", record.RootElement.GetProperty("messageId").GetString());
        Assert.False(record.RootElement.TryGetProperty("bodiesOmitted", out _));
        foreach (var name in new[] { "request", "response" })
        {
            var message = record.RootElement.GetProperty(name);
            Assert.Equal(s_body, message.GetProperty("body").GetBytesFromBase64());
            Assert.Equal(Convert.ToBase64String(SHA512.HashData(s_body)), message.GetProperty("bodySha512").GetString());
        }
    }

    [Fact]
    public void Write_BodiesThatWouldExceedTheLimit_AreLeftOutAndTheRecordSaysSo()
    {
        using var record = Write(keepBodies: true, maxBytes: 60_000); // two bodies of 30 000 bytes are 80 000 in base64

        Assert.Contains("record size limit", record.RootElement.GetProperty("bodiesOmitted").GetString(), StringComparison.Ordinal);
        foreach (var name in new[] { "request", "response" })
        {
            var message = record.RootElement.GetProperty(name);
            Assert.False(message.TryGetProperty("body", out _));
            Assert.Equal(Convert.ToBase64String(SHA512.HashData(s_body)), message.GetProperty("bodySha512").GetString());
            Assert.StartsWith("<Signature", message.GetProperty("signature").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Write_BodiesNotKept_NothingOmittedToReport()
    {
        using var record = Write(keepBodies: false, maxBytes: 1_000);

        Assert.False(record.RootElement.TryGetProperty("bodiesOmitted", out _));
        Assert.False(record.RootElement.GetProperty("request").TryGetProperty("body", out _));
    }
}
