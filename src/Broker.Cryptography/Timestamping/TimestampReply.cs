using System.Formats.Asn1;
using System.Text;

namespace Broker.Cryptography.Timestamping;

/// <summary>
/// A parsed <c>TimeStampResp</c> (RFC 3161 section 2.4.2): the PKIStatusInfo and, when granted, the token's bytes.
/// <code>
/// TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken ContentInfo OPTIONAL }
/// PKIStatusInfo ::= SEQUENCE { status INTEGER, statusString SEQUENCE OF UTF8String OPTIONAL, failInfo BIT STRING OPTIONAL }
/// </code>
/// </summary>
internal readonly record struct TimestampReply(int Status, string? StatusText, int? FailInfo, ReadOnlyMemory<byte>? Token)
{
    public bool IsGranted => Status is 0 or 1; // granted, grantedWithMods

    public static bool TryParse(ReadOnlyMemory<byte> der, out TimestampReply reply)
    {
        reply = default;
        try
        {
            var outer = new AsnReader(der, AsnEncodingRules.DER);
            var response = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            var statusInfo = response.ReadSequence();
            if (!statusInfo.TryReadInt32(out var status))
            {
                return false;
            }

            string? text = null;
            if (statusInfo.HasData && statusInfo.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
            {
                var strings = statusInfo.ReadSequence();
                var builder = new StringBuilder();
                while (strings.HasData)
                {
                    builder.Append(builder.Length == 0 ? "" : "; ").Append(strings.ReadCharacterString(UniversalTagNumber.UTF8String));
                }

                text = builder.ToString();
            }

            int? failInfo = null;
            if (statusInfo.HasData)
            {
                var bits = statusInfo.ReadBitString(out _);
                var value = 0;
                for (var bit = 0; bit < Math.Min(bits.Length * 8, 31); bit++)
                {
                    if ((bits[bit / 8] & (0x80 >> (bit % 8))) != 0)
                    {
                        value |= 1 << bit;
                    }
                }

                failInfo = value;
            }

            statusInfo.ThrowIfNotEmpty();
            ReadOnlyMemory<byte>? token = response.HasData ? response.ReadEncodedValue() : (ReadOnlyMemory<byte>?)null;
            response.ThrowIfNotEmpty();
            reply = new TimestampReply(status, text, failInfo, token);
            return true;
        }
        catch (AsnContentException)
        {
            return false;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    /// <summary>"rejection (badAlg): unsupported algorithm".</summary>
    public string Describe()
    {
        var description = new StringBuilder(StatusName(Status));
        if (FailInfo is { } failInfo and not 0)
        {
            var names = Enumerable.Range(0, 31).Where(bit => (failInfo & (1 << bit)) != 0).Select(FailureName);
            description.Append(" (").AppendJoin(", ", names).Append(')');
        }

        if (!string.IsNullOrEmpty(StatusText))
        {
            description.Append(": ").Append(StatusText);
        }

        return description.ToString();
    }

    private static string StatusName(int status) => status switch
    {
        0 => "granted",
        1 => "grantedWithMods",
        2 => "rejection",
        3 => "waiting",
        4 => "revocationWarning",
        5 => "revocationNotification",
        _ => "status " + status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    // PKIFailureInfo bits used by RFC 3161
    private static string FailureName(int bit) => bit switch
    {
        0 => "badAlg",
        2 => "badRequest",
        5 => "badDataFormat",
        14 => "timeNotAvailable",
        15 => "unacceptedPolicy",
        16 => "unacceptedExtension",
        17 => "addInfoNotAvailable",
        25 => "systemFailure",
        _ => "failure bit " + bit.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
