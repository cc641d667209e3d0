using Broker.MessageLog.Containers;

namespace Broker.MessageLog.Archives;

/// <summary>
/// <c>manifest.json</c> of an archive (docs/message-log.md#archives): what the archive holds, where its records sit in
/// the chain, the archive before it (by name and digest: the archives form a chain of their own), and the SHA-256 of
/// every other entry but <c>records.mlog</c>, which <see cref="LastHash"/> pins through the hash chain.
/// </summary>
public sealed record ArchiveManifest
{
    public string Format { get; init; } = ArchiveFormat.FormatId;

    /// <summary>The security server whose log this is (<c>INSTANCE/CLASS/MEMBER/SERVER</c>).</summary>
    public string ServerId { get; init; } = "";

    public long FirstSeq { get; init; }

    public long LastSeq { get; init; }

    /// <summary>The previous-hash field of the first record (hex): the hash of the last record of the archive before.</summary>
    public string FirstPreviousHash { get; init; } = "";

    /// <summary>The hash of the last record (hex): what the next archive's first record links to.</summary>
    public string LastHash { get; init; } = "";

    public DateTimeOffset? FirstLoggedAt { get; init; }

    public DateTimeOffset? LastLoggedAt { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public int Records { get; init; }

    public int Messages { get; init; }

    public int Stamps { get; init; }

    /// <summary>The archive before this one; null for the first.</summary>
    public ArchiveLink? PreviousArchive { get; init; }

    public IReadOnlyList<EntryDigest> Entries { get; init; } = [];
}
