using System.Security.Cryptography;
using System.Text;
using Broker.Router.Transport;

namespace Broker.Router.State.Deferred;

/// <summary>
/// Answers to deferred exchanges, kept until the consumer's security server fetches them (by client and message id)
/// or they expire. Shared by all router instances through Redis; in memory (one instance) without it.
/// </summary>
public interface IDeferredAnswers
{
    Task StoreAsync(string client, string messageId, DeliveryResult answer, TimeSpan keepFor, CancellationToken cancellationToken);

    /// <summary>The stored answer, or null while there is none (not delivered yet, or unknown).</summary>
    Task<DeliveryResult?> FindAsync(string client, string messageId, CancellationToken cancellationToken);
}

/// <summary>The stored form of an answer: status, content type, error code, body.</summary>
internal static class DeferredAnswerCodec
{
    public static string Key(string client, string messageId) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(client + "\n" + messageId)));

    public static byte[] Encode(DeliveryResult answer)
    {
        using var stream = new MemoryStream(answer.Body.Length + 128);
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(answer.StatusCode);
            writer.Write(answer.ContentType ?? "");
            writer.Write(answer.ErrorCode ?? "");
            writer.Write(answer.Body.Length);
            writer.Write(answer.Body.Span);
        }

        return stream.ToArray();
    }

    public static DeliveryResult Decode(byte[] stored)
    {
        using var reader = new BinaryReader(new MemoryStream(stored), Encoding.UTF8);
        var status = reader.ReadInt32();
        var contentType = reader.ReadString();
        var error = reader.ReadString();
        var body = reader.ReadBytes(reader.ReadInt32());
        return new DeliveryResult(status, contentType.Length == 0 ? null : contentType, error.Length == 0 ? null : error, body);
    }
}
