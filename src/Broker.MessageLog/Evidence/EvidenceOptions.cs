using Broker.MessageLog.Records;
using Broker.MessageLog.Trust;

namespace Broker.MessageLog.Evidence;

/// <summary>What an evidence container carries besides the records.</summary>
public sealed class EvidenceOptions
{
    /// <summary>The security server whose log this is.</summary>
    public required string ServerId { get; init; }

    /// <summary>The approved CAs and TSAs to include (<c>certificates/</c>), so the container verifies on its own.</summary>
    public TrustAnchors? Trust { get; init; }

    /// <summary>
    /// The key of bodies encrypted at rest: when given, an encrypted body is decrypted into <c>bodies/</c> so that the
    /// body can be checked against its signed digest. Without it the container holds the ciphertext only.
    /// </summary>
    public BodyCipher? BodyKey { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;
}
