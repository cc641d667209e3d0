namespace Broker.MessageLog.Archives;

/// <summary>The outcome of archiving a segment: the archive's path and SHA-256 when it exists, otherwise why not.</summary>
public sealed record ArchiveResult(ArchiveStatus Status, string Message, string? Path = null, string? Sha256 = null, long FirstSeq = 0, long LastSeq = 0)
{
    /// <summary>True when the segment's records are in an archive (written now or before): the segment may be removed.</summary>
    public bool IsArchived => Status is ArchiveStatus.Written or ArchiveStatus.AlreadyArchived;

    /// <summary>How the next archive links to this one (<see cref="ArchiveInput.PreviousLink"/>); null when there is no archive.</summary>
    public ArchiveLink? Link => Path is { } path && Sha256 is { } sha256 ? new ArchiveLink(System.IO.Path.GetFileName(path), sha256) : null;
}
