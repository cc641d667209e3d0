using System.Globalization;

namespace Broker.SecurityServer.MessageLog;

/// <summary>A time window that recurs every day, written <c>HH:mm-HH:mm</c> (e.g. <c>22:00-06:00</c>, across midnight).</summary>
public readonly record struct DailyWindow(TimeOnly Start, TimeOnly End)
{
    public static bool TryParse(string? text, out DailyWindow window)
    {
        window = default;
        if (text?.Split('-', 2, StringSplitOptions.TrimEntries) is not [var start, var end]
            || !TimeOnly.TryParseExact(start, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)
            || !TimeOnly.TryParseExact(end, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to)
            || from == to)
        {
            return false;
        }

        window = new DailyWindow(from, to);
        return true;
    }

    /// <summary>Whether <paramref name="time"/> is inside: from <see cref="Start"/> (included) to <see cref="End"/> (excluded).</summary>
    public bool Contains(TimeOnly time) => Start < End ? time >= Start && time < End : time >= Start || time < End;

    public override string ToString() => Start.ToString("HH:mm", CultureInfo.InvariantCulture) + "-" + End.ToString("HH:mm", CultureInfo.InvariantCulture);
}
