using Broker.MessageLog.Containers;

namespace Broker.MessageLog.Archives;

/// <summary>The archives of a directory in chain order, and the link a new archive makes to the newest one.</summary>
public static class ArchiveChain
{
    /// <summary>The archives (files named <c>{firstSeq:D16}-{lastSeq:D16}.zip</c>) of a directory, oldest first.</summary>
    public static IReadOnlyList<ArchiveFile> List(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var archives = new List<ArchiveFile>();
        foreach (var path in Directory.GetFiles(directory, "*" + ArchiveFormat.Extension))
        {
            if (ArchiveFormat.TryParseFileName(path, out var first, out var last))
            {
                archives.Add(new ArchiveFile(path, first, last));
            }
        }

        archives.Sort((a, b) => a.FirstSeq != b.FirstSeq ? a.FirstSeq.CompareTo(b.FirstSeq) : a.LastSeq.CompareTo(b.LastSeq));
        return archives;
    }

    /// <summary>How a newer archive names <paramref name="archive"/>: its file name and the SHA-256 of its bytes.</summary>
    public static ArchiveLink Link(ArchiveFile archive)
    {
        ArgumentNullException.ThrowIfNull(archive);
        return new ArchiveLink(archive.Name, ContainerReader.FileSha256(archive.Path));
    }
}
