namespace Broker.MessageLog.Archives;

/// <summary>An archive file and the record range its name says it holds.</summary>
public sealed record ArchiveFile(string Path, long FirstSeq, long LastSeq)
{
    public string Name => System.IO.Path.GetFileName(Path);
}
