using System.Diagnostics.CodeAnalysis;
using Broker.Protocol.Faults;
using Broker.Protocol.Identifiers;

namespace Broker.Protocol.Rest;

/// <summary>
/// The request target of an r1 call, <c>/r1/{INST}/{CLASS}/{MEMBER}/{SUB}/{SERVICE}[/path][?query]</c>, split into
/// the service and the part that is forwarded to the provider's service as it was received.
/// </summary>
public sealed record RestRequestTarget(ServiceId Service, string ServicePath, string Query)
{
    /// <summary>The longest request target accepted (PR-REST allows servers to cap it; X-Road uses about 2000).</summary>
    public const int MaxLength = 4096;

    /// <summary>Parses the raw request URI a signed head carries (<c>/r1/...?query</c>).</summary>
    public static bool TryParse(string rawUri, [NotNullWhen(true)] out RestRequestTarget? target, [NotNullWhen(false)] out Fault? fault)
    {
        ArgumentNullException.ThrowIfNull(rawUri);
        var query = rawUri.IndexOf('?', StringComparison.Ordinal);
        return query < 0
            ? TryParse(rawUri, "", out target, out fault)
            : TryParse(rawUri[..query], rawUri[query..], out target, out fault);
    }

    /// <summary>Parses a raw (still percent-encoded) path and query string; on failure a Client.* fault.</summary>
    public static bool TryParse(string rawPath, string rawQuery, [NotNullWhen(true)] out RestRequestTarget? target, [NotNullWhen(false)] out Fault? fault)
    {
        target = null;
        fault = null;
        if (rawPath.Length + rawQuery.Length > MaxLength)
        {
            fault = FaultCodes.Create(FaultCodes.BadRequest, $"The request target is longer than {MaxLength} characters.");
            return false;
        }

        var path = rawPath.AsSpan();
        if (!path.StartsWith('/'))
        {
            fault = FaultCodes.Create(FaultCodes.BadRequest, "The request path must start with '/'.");
            return false;
        }

        path = path[1..];
        var slash = path.IndexOf('/');
        var version = slash < 0 ? path : path[..slash];
        if (!version.SequenceEqual(XRoadHeaders.ProtocolVersion))
        {
            fault = version.Length == 2 && version[0] == 'r' && char.IsAsciiDigit(version[1])
                ? FaultCodes.Create(FaultCodes.InvalidProtocolVersion, $"Protocol version '{version}' is not supported; use '{XRoadHeaders.ProtocolVersion}'.")
                : FaultCodes.Create(FaultCodes.BadRequest, "The request path must be /r1/{instance}/{class}/{member}/{subsystem}/{service}[/path].");
            return false;
        }

        var rest = slash < 0 ? ReadOnlySpan<char>.Empty : path[(slash + 1)..];

        // five identifier segments, then the optional service path kept raw
        var end = 0;
        for (var i = 0; i < 5; i++)
        {
            var next = rest[end..].IndexOf('/');
            if (next < 0)
            {
                end = i == 4 ? rest.Length : -1;
                break;
            }

            end += next + (i == 4 ? 0 : 1);
        }

        if (end <= 0 || !ServiceId.TryParse(rest[..end], out var service))
        {
            fault = FaultCodes.Create(FaultCodes.BadRequest, "The service identifier in the request path is malformed: five percent-encoded parts (instance/class/member/subsystem/service) of letters, digits and '()+,-.=? are required.");
            return false;
        }

        target = new RestRequestTarget(service, rest[end..].ToString(), rawQuery);
        return true;
    }
}
