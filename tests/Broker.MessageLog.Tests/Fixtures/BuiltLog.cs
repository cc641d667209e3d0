namespace Broker.MessageLog.Tests.Fixtures;

/// <summary>A test log on disk: its message records and timestamp records by sequence number.</summary>
internal sealed record BuiltLog(string Directory, IReadOnlyList<LoggedMessage> Messages, IReadOnlyList<long> Stamps, long LastSeq)
{
    public string TrustDirectory => Path.Combine(Directory, Broker.MessageLog.Trust.TrustAnchors.FolderName);
}
