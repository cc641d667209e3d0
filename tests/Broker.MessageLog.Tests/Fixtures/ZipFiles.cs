using System.IO.Compression;

namespace Broker.MessageLog.Tests.Fixtures;

/// <summary>Tampering with archive and evidence entries.</summary>
internal static class ZipFiles
{
    public static byte[] Read(string path, string entry)
    {
        using var zip = ZipFile.OpenRead(path);
        using var stream = zip.GetEntry(entry)!.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    public static void Replace(string path, string entry, Func<byte[], byte[]> change)
    {
        var bytes = change(Read(path, entry));
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        zip.GetEntry(entry)!.Delete();
        using var stream = zip.CreateEntry(entry).Open();
        stream.Write(bytes);
    }

    public static IReadOnlyList<string> Entries(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        return [.. zip.Entries.Select(e => e.FullName)];
    }
}
