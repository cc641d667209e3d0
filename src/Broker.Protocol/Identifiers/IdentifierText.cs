using System.Buffers;
using System.Text;

namespace Broker.Protocol.Identifiers;

/// <summary>
/// The character rules and the percent-encoding of X-Road identifier parts (PR-REST §4.2 and §4.8):
/// each part is UTF-8, percent-encoded on its own, parts joined with '/'.
/// </summary>
public static class IdentifierText
{
    private static readonly SearchValues<char> s_allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'()+,-.=?");

    // Characters left unescaped when an identifier part is written into a URI path segment or header.
    private static readonly SearchValues<char> s_unescaped =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'()+,-.=_~");

    /// <summary>The longest identifier part accepted (X-Road keeps codes well below this).</summary>
    public const int MaxPartLength = 255;

    /// <summary>True when <paramref name="part"/> is a non-empty code made only of the allowed characters.</summary>
    public static bool IsValidPart(ReadOnlySpan<char> part) =>
        part.Length is > 0 and <= MaxPartLength && !part.ContainsAnyExcept(s_allowed);

    /// <summary>Percent-decodes one part; null when the encoding is broken or the result breaks the character rules.</summary>
    public static string? DecodePart(ReadOnlySpan<char> encoded)
    {
        if (encoded.IsEmpty)
        {
            return null;
        }

        string decoded;
        if (encoded.Contains('%'))
        {
            decoded = Uri.UnescapeDataString(encoded.ToString());
            // a '%' that survives decoding was not a valid escape sequence
            if (decoded.Contains('%'))
            {
                return null;
            }
        }
        else
        {
            decoded = encoded.ToString();
        }

        return IsValidPart(decoded) ? decoded : null;
    }

    /// <summary>Appends <paramref name="part"/> percent-encoded as a URI path segment.</summary>
    public static void AppendEncoded(StringBuilder builder, string part)
    {
        if (!part.AsSpan().ContainsAnyExcept(s_unescaped))
        {
            builder.Append(part);
            return;
        }

        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in part.EnumerateRunes())
        {
            if (rune.IsAscii && s_unescaped.Contains((char)rune.Value))
            {
                builder.Append((char)rune.Value);
                continue;
            }

            var n = rune.EncodeToUtf8(utf8);
            for (var i = 0; i < n; i++)
            {
                builder.Append('%').Append(utf8[i].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>Splits an encoded identifier into decoded parts; null on any bad part or a wrong number of parts.</summary>
    internal static string[]? SplitAndDecode(ReadOnlySpan<char> encoded, int minParts, int maxParts)
    {
        var count = encoded.Count('/') + 1;
        if (count < minParts || count > maxParts)
        {
            return null;
        }

        var parts = new string[count];
        var i = 0;
        foreach (var range in encoded.Split('/'))
        {
            var decoded = DecodePart(encoded[range]);
            if (decoded is null)
            {
                return null;
            }

            parts[i++] = decoded;
        }

        return parts;
    }
}
