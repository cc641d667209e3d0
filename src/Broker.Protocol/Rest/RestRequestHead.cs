using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Broker.Protocol.Rest;

/// <summary>
/// The signed form of a REST request as X-Road serializes it: the method, the raw request URI and each header as
/// <c>name:value</c>, every line ended by CRLF, UTF-8. Its SHA-512 is the "headers" half of the request hash.
/// </summary>
public sealed class RestRequestHead
{
    public RestRequestHead(string method, string rawUri, HeaderList headers)
    {
        Method = method;
        RawUri = rawUri;
        Headers = headers;
    }

    public string Method { get; }

    /// <summary>The request URI as received (<c>/r1/...</c> plus <c>?query</c>), still percent-encoded.</summary>
    public string RawUri { get; }

    public HeaderList Headers { get; }

    public byte[] Serialize()
    {
        var builder = new StringBuilder(256);
        builder.Append(Method).Append("\r\n").Append(RawUri).Append("\r\n");
        HeadText.AppendHeaders(builder, Headers);
        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    public static bool TryParse(ReadOnlySpan<byte> utf8, [NotNullWhen(true)] out RestRequestHead? head)
    {
        head = null;
        if (!HeadText.TryParse(utf8, 2, out var firstLines, out var headers))
        {
            return false;
        }

        if (firstLines[0].Length == 0 || !firstLines[1].StartsWith('/'))
        {
            return false;
        }

        head = new RestRequestHead(firstLines[0], firstLines[1], headers);
        return true;
    }
}
