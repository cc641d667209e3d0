namespace Broker.MessageLog.Archives;

/// <summary>What <see cref="ArchiveWriter.Write"/> did.</summary>
public enum ArchiveStatus
{
    /// <summary>The archive was written (atomically) and linked to the one before.</summary>
    Written,

    /// <summary>An archive already holds these records (a retry after a crash); the segment may be removed.</summary>
    AlreadyArchived,

    /// <summary>The segment holds no records; nothing to archive.</summary>
    Empty,

    /// <summary>Some message records of the segment are not time-stamped yet: try again after the next time-stamp.</summary>
    NotStamped,

    /// <summary>The segment cannot be archived (a damaged segment, a gap in the archive chain); the message says why.</summary>
    Failed,
}
