using System.Globalization;
using System.Text;

namespace Broker.MessageLog.Verification;

/// <summary>
/// One result of a verification: how bad, a stable code (<see cref="FindingCodes"/>), where (the segment, archive or
/// container, and the record's sequence number when it is about one record) and what exactly is wrong.
/// </summary>
public sealed record Finding(FindingSeverity Severity, string Code, string Message, string? Source = null, long? Seq = null)
{
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(Severity switch { FindingSeverity.Error => "ERROR", FindingSeverity.Warning => "WARN ", _ => "INFO " });
        text.Append(' ').Append(Code);
        if (Seq is long seq)
        {
            text.Append(CultureInfo.InvariantCulture, $" record {seq}");
        }

        if (Source is not null)
        {
            text.Append(" [").Append(Source).Append(']');
        }

        return text.Append(": ").Append(Message).ToString();
    }
}
