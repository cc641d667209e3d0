using Broker.MessageLog.Archives;
using Broker.MessageLog.Containers;
using Broker.MessageLog.Proofs;
using Broker.MessageLog.Reading;
using Broker.MessageLog.Records;

namespace Broker.MessageLog.Verification;

public sealed partial class LogVerifier
{
    /// <summary>Verifies one archive on its own: its entries, its records, and every message record's proof and signature.</summary>
    public VerificationReport VerifyArchive(string path)
    {
        var report = new ReportBuilder(path, VerificationKind.Archive);
        using var container = ContainerReader.TryOpen(path, out var error);
        if (container is null)
        {
            report.Unreadable($"{path} is not a readable archive: {error}");
            return report.Build();
        }

        report.Archives = 1;
        var trust = ChooseTrust(report, () => ContainerTrust(container, ArchiveFormat.CertificatesFolder));
        var walker = new ChainWalker(report, NewChecker(report));
        var manifest = ReadJson(container, ArchiveFormat.Manifest, Json.ArchiveManifest, report);
        var source = manifest is null ? null : WalkArchive(container, manifest, trust, walker, report);
        walker.Complete(liveTail: false);
        ReportOrphanProofs(source, report);
        return report.Build();
    }

    /// <summary>Checks an archive's entries and walks its records (and the copied stamps after them).</summary>
    private static SourceContext? WalkArchive(ContainerReader container, ArchiveManifest manifest, TrustContext trust, ChainWalker walker, ReportBuilder report)
    {
        var name = container.Name;
        Dictionary<long, RecordProof> proofs;
        if (manifest.Format == ArchiveFormat.FormatId)
        {
            // records.mlog is not listed: the chain, ending in the manifest's last hash, pins every byte of it
            CheckEntries(container, manifest.Entries, [ArchiveFormat.Records, ArchiveFormat.Proofs], report, unlisted: ArchiveFormat.Records);
            proofs = ReadProofs(container, report);
        }
        else if (manifest.Format == ArchiveFormat.FormatIdV1)
        {
            CheckEntries(container, manifest.Entries, [ArchiveFormat.Records, ArchiveFormat.ProofsJson], report);
            proofs = ProofsByRecord(ReadJson(container, ArchiveFormat.ProofsJson, Json.ProofsDocument, report));
        }
        else
        {
            report.Error(FindingCodes.ManifestInvalid, $"The manifest's format is '{manifest.Format}', not {ArchiveFormat.FormatId} (or {ArchiveFormat.FormatIdV1}).", name);
            return null;
        }

        var source = new SourceContext(name, trust, proofs);
        walker.BeginSource(source);
        WalkRecords(container, walker);
        foreach (var entry in container.Entries.Where(e => e.FullName.StartsWith(ArchiveFormat.StampsFolder, StringComparison.Ordinal)).OrderBy(e => e.FullName, StringComparer.Ordinal))
        {
            var bytes = container.ReadBytes(entry.FullName);
            if (!ArchiveFormat.TryParseRecordEntry(entry.FullName, ArchiveFormat.StampsFolder, out var seq)
                || bytes is null || !LogRecordCodec.TryDecode(bytes, out var stamp, out var error) || stamp.Type != RecordType.Timestamp || stamp.Seq != seq)
            {
                report.Error(FindingCodes.ArchiveStamp, $"{entry.FullName} is not the timestamp record its name says.", name);
                continue;
            }

            walker.AddExternalStamp(stamp, source);
        }

        CheckManifestRange(container, manifest, source, report);
        return source;
    }

    private static Dictionary<long, RecordProof> ReadProofs(ContainerReader container, ReportBuilder report)
    {
        var entry = container.Find(ArchiveFormat.Proofs);
        if (entry is null)
        {
            return [];
        }

        string? error;
        Dictionary<long, RecordProof>? proofs;
        try
        {
            using var stream = entry.Open();
            proofs = ProofsFile.Read(new BufferedStream(stream, 1 << 16), out error);
        }
        catch (InvalidDataException e)
        {
            (proofs, error) = (null, "damaged ZIP data: " + e.Message);
        }

        if (proofs is null)
        {
            report.Error(FindingCodes.ManifestInvalid, $"{ArchiveFormat.Proofs} cannot be read: {error}.", container.Name);
        }

        return proofs ?? [];
    }

    private static void WalkRecords(ContainerReader container, ChainWalker walker)
    {
        var entry = container.Find(ArchiveFormat.Records);
        if (entry is null)
        {
            walker.AcceptUnreadable($"{container.Name} has no {ArchiveFormat.Records}.");
            return;
        }

        using var scanner = RecordScanner.Open(entry.Open, entry.Length, $"{ArchiveFormat.Records} of {container.Name}");
        if (Walk(scanner, walker) != ScanEnd.End)
        {
            walker.AcceptUnreadable($"{scanner.Problem}.");
        }
    }

    private static void CheckManifestRange(ContainerReader container, ArchiveManifest manifest, SourceContext source, ReportBuilder report)
    {
        var name = container.Name;
        if (ArchiveFormat.TryParseFileName(name, out var first, out var last) && (first != manifest.FirstSeq || last != manifest.LastSeq))
        {
            report.Error(FindingCodes.ManifestMismatch, $"The archive's name says records {first}..{last}, its manifest {manifest.FirstSeq}..{manifest.LastSeq}.", name);
        }

        if (source.FirstSeq is null)
        {
            return;
        }

        if (source.FirstSeq != manifest.FirstSeq || source.LastSeq != manifest.LastSeq)
        {
            report.Error(FindingCodes.ManifestMismatch, $"The manifest says records {manifest.FirstSeq}..{manifest.LastSeq} but {ArchiveFormat.Records} holds {source.FirstSeq}..{source.LastSeq}.", name);
        }

        if (!HexEquals(manifest.FirstPreviousHash, source.FirstPreviousHash) || !HexEquals(manifest.LastHash, source.LastHash))
        {
            report.Error(FindingCodes.ManifestMismatch, $"The manifest's first-previous or last hash differs from the records in {ArchiveFormat.Records}.", name);
        }
    }

    private static void ReportOrphanProofs(SourceContext? source, ReportBuilder report)
    {
        if (source?.Proofs is null)
        {
            return;
        }

        foreach (var seq in source.Proofs.Keys.Where(k => !source.MessageSeqs.Contains(k)).Order())
        {
            report.Error(FindingCodes.ProofOrphan, $"The archive has a proof for record {seq}, but no such message record is in {ArchiveFormat.Records}: it was removed.", source.Name, seq);
        }
    }
}
