using System.Globalization;

namespace Broker.MessageLog.Archives;

/// <summary>The names of an archive (docs/message-log.md#archives): <c>{firstSeq:D16}-{lastSeq:D16}.zip</c> and its entries.</summary>
public static class ArchiveFormat
{
    public const string FormatId = "broker-message-log-archive/2";

    /// <summary>The first format (until 2026-11): <c>proofs.json</c>, and <c>records.mlog</c> listed with its digest. Still verified.</summary>
    public const string FormatIdV1 = "broker-message-log-archive/1";
    public const string Extension = ".zip";
    public const string Manifest = "manifest.json";
    public const string Records = "records.mlog";
    public const string Proofs = "proofs.bin";
    public const string ProofsJson = "proofs.json";
    public const string StampsFolder = "stamps/";
    public const string CertificatesFolder = "certificates/";
    public const string RecordExtension = ".rec";

    public static string FileName(long firstSeq, long lastSeq) =>
        firstSeq.ToString("D16", CultureInfo.InvariantCulture) + "-" + lastSeq.ToString("D16", CultureInfo.InvariantCulture) + Extension;

    public static string StampEntry(long seq) => StampsFolder + seq.ToString("D16", CultureInfo.InvariantCulture) + RecordExtension;

    /// <summary>Reads the range from an archive's file name; false when the name is not one.</summary>
    public static bool TryParseFileName(string path, out long firstSeq, out long lastSeq)
    {
        firstSeq = lastSeq = 0;
        var name = Path.GetFileName(path);
        return name.Length == 16 + 1 + 16 + Extension.Length
            && name.EndsWith(Extension, StringComparison.Ordinal)
            && name[16] == '-'
            && long.TryParse(name.AsSpan(0, 16), NumberStyles.None, CultureInfo.InvariantCulture, out firstSeq)
            && long.TryParse(name.AsSpan(17, 16), NumberStyles.None, CultureInfo.InvariantCulture, out lastSeq);
    }

    /// <summary>Reads the sequence number of a <c>stamps/…</c> or <c>records/…</c> entry.</summary>
    public static bool TryParseRecordEntry(string name, string folder, out long seq)
    {
        seq = 0;
        return name.StartsWith(folder, StringComparison.Ordinal)
            && name.EndsWith(RecordExtension, StringComparison.Ordinal)
            && long.TryParse(name.AsSpan(folder.Length, name.Length - folder.Length - RecordExtension.Length), NumberStyles.None, CultureInfo.InvariantCulture, out seq);
    }
}
