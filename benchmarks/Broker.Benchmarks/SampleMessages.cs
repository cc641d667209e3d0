using Broker.Protocol.Rest;

namespace Broker.Benchmarks;

/// <summary>The requests the benchmarks hash, sign and frame: what a client information system sends through the bus.</summary>
internal static class SampleMessages
{
    public const int KiB = 1024;

    /// <summary>A small GET head as the client proxy builds it: caller's headers plus the bus's request id and message id.</summary>
    public static RestRequestHead Get() => new(
        "GET",
        "/r1/MN/GOV/GASR/civil-registry/citizens/UB99010112",
        new HeaderList
        {
            { XRoadHeaders.Client, "MN/GOV/LAND/land-services" },
            { "Accept", "application/json" },
            { "x-road-request-id", "6f1c2a9e-3b7d-4c55-9a0e-2d8f4b1e7c30" },
            { "x-road-id", MessageId },
        });

    /// <summary>The message id the sample heads carry unless told otherwise.</summary>
    public const string MessageId = "MN-0b5e8c47-91d2-4f3a-b6e1-7a2c9d0f4e58";

    /// <summary>A POST head for a JSON body (Content-Length is filtered: the envelope frames the body).</summary>
    public static RestRequestHead Post(string messageId = MessageId) => new(
        "POST",
        "/r1/MN/GOV/GASR/civil-registry/citizens/search",
        new HeaderList
        {
            { XRoadHeaders.Client, "MN/GOV/LAND/land-services" },
            { "Accept", "application/json" },
            { "Content-Type", "application/json" },
            { "x-road-request-id", "6f1c2a9e-3b7d-4c55-9a0e-2d8f4b1e7c30" },
            { "x-road-id", messageId },
        });

    /// <summary>The head for a body of <paramref name="bodyLength"/> bytes: the GET head when there is none.</summary>
    public static RestRequestHead For(int bodyLength) => bodyLength == 0 ? Get() : Post();

    /// <summary>A deterministic body (hashing cost does not depend on the content).</summary>
    public static byte[] Body(int length)
    {
        var body = new byte[length];
        for (var i = 0; i < body.Length; i++)
        {
            body[i] = (byte)('a' + (i % 26));
        }

        return body;
    }
}
