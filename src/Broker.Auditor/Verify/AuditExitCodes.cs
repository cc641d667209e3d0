namespace Broker.Auditor.Verify;

/// <summary>The exit codes of <c>broker audit verify</c>.</summary>
public static class AuditExitCodes
{
    /// <summary>Everything verified.</summary>
    public const int Verified = 0;

    /// <summary>Something does not verify (the report says which record and what).</summary>
    public const int NotVerified = 1;

    /// <summary>Wrong usage, or an input, key or certificate file that cannot be read.</summary>
    public const int UsageError = 2;
}
