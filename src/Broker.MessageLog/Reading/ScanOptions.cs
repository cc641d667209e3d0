namespace Broker.MessageLog.Reading;

/// <summary>
/// How a scan reads: <see cref="ChainOnly"/> gives message records without their bytes through one reused buffer
/// (walking the chain, collecting proof leaves); <see cref="SkipBelow"/> steps over the records numbered below it
/// without hashing them (see <see cref="SegmentStreamReader"/>).
/// </summary>
public readonly record struct ScanOptions(bool ChainOnly = false, long SkipBelow = 0)
{
    /// <summary>Message records without their bytes, from <paramref name="from"/> on.</summary>
    public static ScanOptions Chain(long from = 0) => new(ChainOnly: true, SkipBelow: from);
}
