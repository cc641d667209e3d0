namespace Broker.MessageLog.Reading;

/// <summary>A file that holds a stretch of the chain: a live segment (open-ended when it is the newest) or an archive.</summary>
public sealed record LogSource(string Path, long FirstSeq, long LastSeq, bool IsArchive);
