using System.Buffers.Binary;
using System.Globalization;

namespace Broker.MessageLog.Segments;

/// <summary>
/// A log segment file, <c>{firstSeq:D16}.mlog</c>: the 8-byte header <c>BRKMLOG1</c>, then frames of
/// <c>length:u32be record</c>. Segments follow one another by sequence number; the chain runs across them.
/// </summary>
public static class LogSegment
{
    public const string Extension = ".mlog";
    public const int FrameHeaderLength = 4;

    public static ReadOnlySpan<byte> Header => "BRKMLOG1"u8;

    public static string FileName(long firstSeq) => firstSeq.ToString("D16", CultureInfo.InvariantCulture) + Extension;

    /// <summary>The segment files of a directory in chain order.</summary>
    public static IReadOnlyList<string> List(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var files = Directory.GetFiles(directory, "*" + Extension);
        var ordered = new List<(long Seq, string Path)>(files.Length);
        foreach (var file in files)
        {
            if (long.TryParse(Path.GetFileNameWithoutExtension(file), NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
            {
                ordered.Add((seq, file));
            }
        }

        ordered.Sort((a, b) => a.Seq.CompareTo(b.Seq));
        return ordered.ConvertAll(o => o.Path);
    }

    /// <summary>The first sequence number a segment file's name says it holds.</summary>
    public static long FirstSeq(string path) => long.Parse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture);

    public static void WriteFrameHeader(Span<byte> destination, int recordLength) =>
        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)recordLength);
}
