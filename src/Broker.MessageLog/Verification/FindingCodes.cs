namespace Broker.MessageLog.Verification;

/// <summary>The stable codes of verification findings (docs/message-log.md#verifying-broker-audit-verify).</summary>
public static class FindingCodes
{
    /// <summary>The input is not a log directory, an archive, a directory of archives or an evidence container, or cannot be read.</summary>
    public const string InputUnreadable = "input.unreadable";

    public const string TrustMissing = "trust.missing";

    /// <summary>A segment or <c>records.mlog</c> has no valid header, a record does not decode, or the file is cut short.</summary>
    public const string RecordUnreadable = "record.unreadable";

    /// <summary>Records are missing from the chain (removed).</summary>
    public const string ChainGap = "chain.gap";

    /// <summary>A record is stored out of sequence order (reordered).</summary>
    public const string ChainOrder = "chain.order";

    /// <summary>A sequence number appears twice.</summary>
    public const string ChainDuplicate = "chain.duplicate";

    /// <summary>A record's hash no longer matches the link stored in the record after it (the record was changed).</summary>
    public const string ChainLink = "chain.link";

    /// <summary>Record 1 does not link to the genesis hash (zeros).</summary>
    public const string ChainGenesis = "chain.genesis";

    /// <summary>The chain starts after record 1 (earlier records are elsewhere); information only.</summary>
    public const string ChainStart = "chain.start";

    /// <summary>A segment file's name does not match its first record.</summary>
    public const string SegmentName = "segment.name";

    public const string SignatureInvalid = "signature.invalid";

    /// <summary>The signing certificate is not issued to the member expected, or does not chain to an approved CA at signing time.</summary>
    public const string SignatureCertificate = "signature.certificate";

    public const string SignatureParts = "signature.parts";

    /// <summary>The stored head differs from the signed head.</summary>
    public const string HeadChanged = "record.head";

    /// <summary>The stored body differs from the signed body (or an encrypted body no longer decrypts).</summary>
    public const string BodyChanged = "record.body";

    /// <summary>The record's client, service or message id differ from the signed head's.</summary>
    public const string RecordMetadata = "record.metadata";

    /// <summary>Bodies left out in metadata-only mode; information only.</summary>
    public const string BodyOmitted = "body.omitted";

    /// <summary>Encrypted bodies that were not checked (no key, or another key).</summary>
    public const string BodyNotChecked = "body.not-checked";

    /// <summary>A message record no time-stamp covers (an error in archives; a warning for the live log's tail).</summary>
    public const string Unstamped = "record.unstamped";

    public const string StampToken = "stamp.token";

    public const string StampRoot = "stamp.root";

    public const string StampLeafCount = "stamp.leaf-count";

    public const string StampRange = "stamp.range";

    /// <summary>A time-stamp's root cannot be recomputed here (its batch starts before this input); information only.</summary>
    public const string StampPartial = "stamp.partial";

    public const string ProofMissing = "proof.missing";

    public const string ProofInvalid = "proof.invalid";

    /// <summary>A proof names a record that is not there.</summary>
    public const string ProofOrphan = "proof.orphan";

    public const string ManifestInvalid = "manifest.invalid";

    /// <summary>An entry's SHA-256 differs from the manifest's, or an entry is missing or not listed.</summary>
    public const string ManifestDigest = "manifest.digest";

    /// <summary>The manifest's range or hashes differ from the records.</summary>
    public const string ManifestMismatch = "manifest.mismatch";

    /// <summary>An archive is missing from the chain, or its digest differs from the link in the next one.</summary>
    public const string ArchiveChain = "archive.chain";

    /// <summary>A <c>stamps/</c> entry differs from the record it copies.</summary>
    public const string ArchiveStamp = "archive.stamp";

    public const string EvidenceMismatch = "evidence.mismatch";
}
