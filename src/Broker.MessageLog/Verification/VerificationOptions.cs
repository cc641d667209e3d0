using Broker.MessageLog.Records;
using Broker.MessageLog.Trust;

namespace Broker.MessageLog.Verification;

/// <summary>How <see cref="LogVerifier"/> verifies.</summary>
public sealed class VerificationOptions
{
    /// <summary>
    /// Explicit trust (approved CAs and TSAs) that replaces what the input carries (the log's <c>trust/</c> folder,
    /// the archive's or container's <c>certificates/</c>). Null uses the input's own.
    /// </summary>
    public TrustAnchors? Trust { get; init; }

    /// <summary>Keys of bodies encrypted at rest; an encrypted body is checked when one of them is its key.</summary>
    public IReadOnlyList<BodyCipher> BodyKeys { get; init; } = [];
}
