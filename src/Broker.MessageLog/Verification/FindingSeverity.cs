namespace Broker.MessageLog.Verification;

public enum FindingSeverity
{
    /// <summary>Worth knowing; does not affect the verdict (a metadata-only body, a chain that starts after record 1).</summary>
    Info,

    /// <summary>Not proven, not broken either (the live log's tail that is not time-stamped yet).</summary>
    Warning,

    /// <summary>Something does not verify: the verdict is "not verified".</summary>
    Error,
}
