namespace Broker.MessageLog.Records;

/// <summary>How a message record keeps the message body.</summary>
public enum BodyStorage : byte
{
    /// <summary>The message had no body.</summary>
    None = 0,

    /// <summary>The body as signed.</summary>
    Plain = 1,

    /// <summary>The body was left out (metadata-only mode); its digest stays in the signature document.</summary>
    Omitted = 2,

    /// <summary>The body encrypted at rest: key id, AES-256-GCM nonce, tag and ciphertext (<see cref="BodyCipher"/>).</summary>
    Encrypted = 3,
}
