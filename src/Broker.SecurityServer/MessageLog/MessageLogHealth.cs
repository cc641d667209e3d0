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
        var (segments, segmentBytes) = Usage(log.Options.Directory!, "*.mlog");
        var (archives, archiveBytes) = Usage(log.Options.ArchiveDirectory!, "*.zip");
        long free;
        try
        {
            free = new DriveInfo(Path.GetFullPath(log.Options.Directory!)).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            free = -1;
        }

        var backlog = log.ArchiveBacklogBytes();
        return new MessageLogHealth(
            log.Writer.LastSeq, segments, segmentBytes, archives, archiveBytes, backlog, backlog > log.Options.ArchiveBacklogLimit,
            free, log.Writer.Failure, log.Timestamper.Status,
            free >= 0 && free < log.Options.MinFreeBytes);
    }

    private static (int Count, long Bytes) Usage(string directory, string pattern)
    {
        if (!Directory.Exists(directory))
        {
            return (0, 0);
        }

        var count = 0;
        long bytes = 0;
        foreach (var file in new DirectoryInfo(directory).EnumerateFiles(pattern))
        {
            count++;
            bytes += file.Length;
        }

        return (count, bytes);
    }
}
