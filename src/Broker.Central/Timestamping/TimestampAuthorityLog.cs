using Microsoft.Extensions.Logging;

namespace Broker.Central.Timestamping;

/// <summary>Log events of the central server's time-stamping authority, ids 6001–6099 (never reused).</summary>
internal static partial class TimestampAuthorityLog
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Debug, Message = "TSA granted token {Serial} at {GenTime:O} over {Algorithm} imprint {Imprint}")]
    public static partial void Granted(ILogger logger, long serial, DateTimeOffset genTime, string algorithm, string imprint);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "TSA rejected a request ({FailInfo}): {Reason}")]
    public static partial void Rejected(ILogger logger, string failInfo, string reason);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Error, Message = "TSA could not issue a token (systemFailure answered)")]
    public static partial void Failed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Information, Message = "TSA started: certificate {Thumbprint}, policy {Policy}")]
    public static partial void Started(ILogger logger, string thumbprint, string policy);
}
