using System.Buffers.Binary;
using System.Text;
using Confluent.Kafka;

namespace Broker.Router.Transport.Kafka;

/// <summary>The record headers the Kafka transport uses. The value is always the envelope or answer, byte for byte.</summary>
internal static class KafkaRecordHeaders
{
    /// <summary>Request: correlates the answer with the waiting ingress.</summary>
    public const string Correlation = "broker-correlation";

    /// <summary>Request: the replies-topic partition of the ingress instance waiting for the answer.</summary>
    public const string ReplyPartition = "broker-reply-partition";

    /// <summary>Request: the exchange's deadline, Unix milliseconds.</summary>
    public const string Deadline = "broker-deadline";

    /// <summary>Request: the provider's security server as the ingress resolved it.</summary>
    public const string Provider = "broker-provider";

    /// <summary>Request: the largest answer the ingress accepts.</summary>
    public const string MaxResponse = "broker-max-response";

    /// <summary>Request: the client asked for deferred delivery ("1").</summary>
    public const string Deferrable = "broker-deferrable";

    /// <summary>Answer: HTTP status, content type and X-Road-Error code of the provider's (or router's) answer.</summary>
    public const string Status = "broker-status";
    public const string ContentType = "broker-content-type";
    public const string Error = "broker-error";

    public static void Add(Headers headers, string name, string value) => headers.Add(name, Encoding.UTF8.GetBytes(value));

    public static void Add(Headers headers, string name, long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        headers.Add(name, bytes);
    }

    public static string? GetString(Headers headers, string name) =>
        headers.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;

    public static long? GetLong(Headers headers, string name) =>
        headers.TryGetLastBytes(name, out var bytes) && bytes.Length == 8 ? BinaryPrimitives.ReadInt64BigEndian(bytes) : null;
}
