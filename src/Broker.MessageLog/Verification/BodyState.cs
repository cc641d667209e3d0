namespace Broker.MessageLog.Verification;

/// <summary>What could be learned of a message record's body before its signature is checked.</summary>
internal enum BodyState
{
    /// <summary>The message has no body.</summary>
    None,

    /// <summary>The body is at hand (plain, decrypted, or supplied by an evidence container); its digest is known.</summary>
    Digest,

    /// <summary>Left out in metadata-only mode.</summary>
    Omitted,

    /// <summary>Encrypted, and no key was given.</summary>
    NoKey,

    /// <summary>Encrypted with a key that was not given.</summary>
    OtherKey,

    /// <summary>Encrypted with a given key, but it does not decrypt: the ciphertext or its position was changed.</summary>
    Undecryptable,
}
