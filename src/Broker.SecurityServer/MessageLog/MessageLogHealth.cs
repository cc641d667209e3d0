using Broker.MessageLog.Timestamping;

namespace Broker.SecurityServer.MessageLog;

/// <summary>
/// The message log in <c>/health</c>: the chain's head, disk usage, how much waits for its archive (and whether that is
/// more than the archiver lets wait at idle priority), and the time-stamper's state.
/// </summary>
public sealed record MessageLogHealth(
    long LastSeq,
    int Segments,
    long SegmentBytes,
    int Archives,
    long ArchiveBytes,
    long ArchiveBacklogBytes,
    bool ArchiveBehind,
    long FreeBytes,
    string? Failure,
    TimestampStatus Timestamping,
    bool LowDiskSpace)
{
    public static MessageLogHealth Of(SecurityServerMessageLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var usage = log.DiskUsage();
        long free;
        try
        {
            free = new DriveInfo(Path.GetFullPath(log.Options.Directory!)).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            free = -1;
        }

        return new MessageLogHealth(
            log.Writer.LastSeq, usage.Segments, usage.SegmentBytes, usage.Archives, usage.ArchiveBytes,
            usage.ArchiveBacklogBytes, usage.ArchiveBacklogBytes > log.Options.ArchiveBacklogLimit,
            free, log.Writer.Failure, log.Timestamper.Status,
            free >= 0 && free < log.Options.MinFreeBytes);
    }
}
