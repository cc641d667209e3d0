using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Broker.Protocol.Rest;

/// <summary>The signed form of a REST response: the status code, then each header as <c>name:value</c>, CRLF-ended.</summary>
public sealed class RestResponseHead
{
    public RestResponseHead(int statusCode, HeaderList headers)
    {
        StatusCode = statusCode;
        Headers = headers;
    }

    public int StatusCode { get; }

    public HeaderList Headers { get; }

    public byte[] Serialize()
    {
        var builder = new StringBuilder(256);
        builder.Append(StatusCode.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        HeadText.AppendHeaders(builder, Headers);
        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    public static bool TryParse(ReadOnlySpan<byte> utf8, [NotNullWhen(true)] out RestResponseHead? head)
    {
        head = null;
        if (!HeadText.TryParse(utf8, 1, out var firstLines, out var headers)
            || !int.TryParse(firstLines[0], NumberStyles.None, CultureInfo.InvariantCulture, out var status)
            || status is < 100 or > 599)
        {
            return false;
        }

        head = new RestResponseHead(status, headers);
        return true;
    }
}
