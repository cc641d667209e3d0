using Broker.MessageLog.Trust;

namespace Broker.MessageLog.Archives;

/// <summary>What <see cref="ArchiveWriter.Write"/> archives, and where.</summary>
public sealed class ArchiveInput
{
    /// <summary>A closed segment file (never the one being written).</summary>
    public required string SegmentPath { get; init; }

    /// <summary>The directory of the archive chain; the new archive links to the newest one there.</summary>
    public required string ArchiveDirectory { get; init; }

    /// <summary>The security server whose log this is, for the manifest.</summary>
    public required string ServerId { get; init; }

    /// <summary>The approved CAs and TSAs at archive time (stored in <c>certificates/</c>).</summary>
    public TrustAnchors? Trust { get; init; }

    /// <summary>
    /// The live log's segment files, where the timestamp records covering this segment's tail are found (and the
    /// records of a batch that spans a segment boundary); null lists the segment files beside <see cref="SegmentPath"/>.
    /// </summary>
    public IReadOnlyList<string>? LogSegments { get; init; }

    /// <summary>
    /// The newest archive's link as the caller knows it from writing it (<see cref="ArchiveResult.Path"/> and
    /// <see cref="ArchiveResult.Sha256"/>): used when it names the chain's newest archive, instead of reading and hashing
    /// that whole file again. Null, or another name: the newest archive is hashed. A file changed since it was written
    /// then no longer matches the digest the new archive links to, and the auditor says so.
    /// </summary>
    public ArchiveLink? PreviousLink { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Abandons the archive (no file is left behind) with <see cref="OperationCanceledException"/>; checked per record read.</summary>
    public CancellationToken CancellationToken { get; init; }
}
