using System.Globalization;

namespace Broker.MessageLog.Evidence;

/// <summary>The entry names of an evidence container (docs/message-log.md#evidence-containers).</summary>
public static class EvidenceFormat
{
    public const string FormatId = "broker-evidence/1";
    public const string Manifest = "manifest.json";
    public const string Proofs = "proofs.json";
    public const string RecordsFolder = "records/";
    public const string StampsFolder = "stamps/";
    public const string BodiesFolder = "bodies/";
    public const string CertificatesFolder = "certificates/";

    public static string RecordEntry(long seq) => RecordsFolder + D16(seq) + ".rec";

    public static string StampEntry(long seq) => StampsFolder + D16(seq) + ".rec";

    public static string BodyEntry(long seq) => BodiesFolder + D16(seq) + ".bin";

    private static string D16(long seq) => seq.ToString("D16", CultureInfo.InvariantCulture);
}
