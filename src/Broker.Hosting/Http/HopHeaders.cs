namespace Broker.Hosting.Http;

/// <summary>Transport headers between security servers and the router (not signed: they steer the hop, not the message).</summary>
public static class HopHeaders
{
    /// <summary>The exchange's absolute deadline, Unix milliseconds; every hop stops waiting at it.</summary>
    public const string Deadline = "X-Broker-Deadline";

    /// <summary>The path every hop accepts envelopes on.</summary>
    public const string ExchangePath = "/v1/exchange";

    public static DateTimeOffset? ReadDeadline(string? value) =>
        long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;

    public static string FormatDeadline(DateTimeOffset deadline) =>
        deadline.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
}
