namespace Broker.SecurityServer.MessageLog;

/// <summary>What a message log takes on disk (<see cref="SecurityServerMessageLog.DiskUsage"/>).</summary>
/// <param name="ArchiveBacklogBytes">The closed segments no archive holds yet.</param>
public readonly record struct LogDiskUsage(int Segments, long SegmentBytes, int Archives, long ArchiveBytes, long ArchiveBacklogBytes);
