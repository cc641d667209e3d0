using System.Text;

namespace Broker.Protocol.Rest;

/// <summary>The line format shared by request and response heads.</summary>
internal static class HeadText
{
    public const int MaxHeaders = 200;

    public static void AppendHeaders(StringBuilder builder, HeaderList headers)
    {
        foreach (var (name, value) in headers)
        {
            builder.Append(name).Append(':').Append(value).Append("\r\n");
        }
    }

    /// <summary>
    /// Reads <paramref name="leadingLines"/> plain lines and then <c>name:value</c> lines. Strict: every line ends in
    /// CRLF, header names are HTTP tokens, values carry no control characters, and filtered headers are refused.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, int leadingLines, out string[] firstLines, out HeaderList headers)
    {
        firstLines = new string[leadingLines];
        headers = new HeaderList();
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(utf8);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        var span = text.AsSpan();
        var line = 0;
        while (!span.IsEmpty)
        {
            var end = span.IndexOf("\r\n", StringComparison.Ordinal);
            if (end < 0)
            {
                return false;
            }

            var current = span[..end];
            span = span[(end + 2)..];
            if (current.ContainsAny('\r', '\n'))
            {
                return false;
            }

            if (line < leadingLines)
            {
                firstLines[line++] = current.ToString();
                continue;
            }

            var colon = current.IndexOf(':');
            if (colon <= 0 || headers.Count >= MaxHeaders)
            {
                return false;
            }

            var name = current[..colon];
            var value = current[(colon + 1)..];
            if (!IsToken(name) || value.ContainsAnyInRange('\0', '\u0008') || value.ContainsAnyInRange('\u000A', '\u001F'))
            {
                return false;
            }

            var nameText = name.ToString();
            if (!XRoadHeaders.IsForwardable(nameText))
            {
                return false;
            }

            headers.Add(nameText, value.ToString());
        }

        return line == leadingLines;
    }

    private static bool IsToken(ReadOnlySpan<char> name)
    {
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c)))
            {
                return false;
            }
        }

        return true;
    }
}
