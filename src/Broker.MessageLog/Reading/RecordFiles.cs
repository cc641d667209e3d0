using System.IO.Compression;
using Broker.MessageLog.Archives;
using Broker.MessageLog.Records;
using Broker.MessageLog.Segments;

namespace Broker.MessageLog.Reading;

/// <summary>The records of a live segment file or of an archive's <c>records.mlog</c>, in order.</summary>
public static class RecordFiles
{
    /// <summary>
    /// Every record of a segment file, or of the <c>records.mlog</c> of an archive (a <c>.zip</c>); a record that does
    /// not decode comes as a null record with its error. Stops at a torn tail.
    /// </summary>
    public static IEnumerable<(long Offset, LogRecord? Record, string? Error)> Read(string path)
    {
        if (!path.EndsWith(ArchiveFormat.Extension, StringComparison.OrdinalIgnoreCase))
        {
            return SegmentReader.ReadAll(path);
        }

        return ReadArchive(path);
    }

    private static IEnumerable<(long Offset, LogRecord? Record, string? Error)> ReadArchive(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        var entry = zip.GetEntry(ArchiveFormat.Records) ?? throw new InvalidDataException($"{path} has no {ArchiveFormat.Records}.");
        using var reader = new SegmentStreamReader(entry.Open(), entry.Length);
        while (reader.TryRead(out var offset, out var record, out var error))
        {
            yield return (offset, record, error);
        }
    }
}
