using System.Collections.Frozen;

namespace Broker.Protocol.Rest;

/// <summary>The header names of the X-Road Message Protocol for REST r1 and the ones a security server filters.</summary>
public static class XRoadHeaders
{
    public const string Client = "X-Road-Client";
    public const string Id = "X-Road-Id";

    /// <summary>The longest <c>X-Road-Id</c> accepted (it is logged and used as a key on every hop).</summary>
    public const int MaxIdLength = 255;
    public const string UserId = "X-Road-UserId";
    public const string Issue = "X-Road-Issue";
    public const string RepresentedParty = "X-Road-Represented-Party";
    public const string Service = "X-Road-Service";
    public const string RequestId = "X-Road-Request-Id";
    public const string RequestHash = "X-Road-Request-Hash";
    public const string Error = "X-Road-Error";

    /// <summary>
    /// Broker's extension (not X-Road): <c>true</c> asks that the request be kept and delivered later when the provider's
    /// security server cannot be reached; the answer is then 202 and is fetched by its <c>X-Road-Id</c>. Signed with the head.
    /// </summary>
    public const string BrokerDeferrable = "X-Broker-Deferrable";

    /// <summary>The protocol version segment of the request path.</summary>
    public const string ProtocolVersion = "r1";

    /// <summary>
    /// Hop-by-hop and origin-revealing headers that never cross the bus (PR-REST "Filtered headers"),
    /// plus Content-Length, which the envelope carries in its own framing.
    /// </summary>
    public static readonly FrozenSet<string> Filtered = new[]
    {
        "Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Proxy-Connection", "TE", "Trailer",
        "Transfer-Encoding", "Upgrade", "Host", "User-Agent", "Server", "Content-Length", "Expect", "Date",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Headers a caller may not set because the security servers own them.</summary>
    public static readonly FrozenSet<string> SetByBus = new[] { RequestId, RequestHash }
        .ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Headers the provider's security server sets on every response, replacing any the service sent.</summary>
    public static readonly FrozenSet<string> SetOnResponse = new[] { Id, Client, Service, RequestId, RequestHash }
        .ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public static bool IsForwardable(string name) => !Filtered.Contains(name);
}
