using Broker.MessageLog.Containers;
using Broker.MessageLog.Evidence;
using Broker.MessageLog.Proofs;
using Broker.MessageLog.Records;

namespace Broker.MessageLog.Verification;

public sealed partial class LogVerifier
{
    /// <summary>
    /// Verifies an evidence container: each record's hash, its signature, head and body, its proof to the root of
    /// its time-stamp and that time-stamp's token. (The records are not neighbours in the chain; the time-stamps prove them.)
    /// </summary>
    public VerificationReport VerifyEvidence(string path)
    {
        var report = new ReportBuilder(path, VerificationKind.Evidence);
        using var container = ContainerReader.TryOpen(path, out var error);
        if (container is null)
        {
            report.Unreadable($"{path} is not a readable evidence container: {error}");
            return report.Build();
        }

        var name = container.Name;
        var manifest = ReadJson(container, EvidenceFormat.Manifest, Json.EvidenceManifest, report);
        if (manifest is null)
        {
            return report.Build();
        }

        if (manifest.Format != EvidenceFormat.FormatId)
        {
            report.Error(FindingCodes.ManifestInvalid, $"The manifest's format is '{manifest.Format}', not {EvidenceFormat.FormatId}.", name);
            return report.Build();
        }

        var trust = ChooseTrust(report, () => ContainerTrust(container, EvidenceFormat.CertificatesFolder));
        CheckEntries(container, manifest.Entries, [EvidenceFormat.Proofs], report);
        var proofs = ProofsByRecord(ReadJson(container, EvidenceFormat.Proofs, Json.ProofsDocument, report));

        var source = new SourceContext(name, trust, proofs);
        var checker = NewChecker(report);
        var walker = new ChainWalker(report, checker);
        var stamps = new Dictionary<long, StampOutcome>();
        foreach (var seq in manifest.Records.Select(r => r.Stamp).OfType<long>().Distinct().Order())
        {
            var bytes = container.ReadBytes(EvidenceFormat.StampEntry(seq));
            if (bytes is null || !LogRecordCodec.TryDecode(bytes, out var stamp, out _) || stamp.Type != RecordType.Timestamp || stamp.Seq != seq)
            {
                report.Error(FindingCodes.EvidenceMismatch, $"The timestamp record {seq} the manifest names is missing or is not a timestamp record with that number.", name, seq);
                continue;
            }

            report.Stamps++;
            stamps[seq] = walker.VerifyToken(stamp, source);
        }

        if (manifest.Records.Count == 0)
        {
            report.Error(FindingCodes.EvidenceMismatch, $"The container holds no records of message {manifest.MessageId}.", name);
        }

        foreach (var entry in manifest.Records)
        {
            VerifyEvidenceRecord(container, manifest, entry, source, stamps, checker, walker, report);
        }

        return report.Build();
    }

    private static void VerifyEvidenceRecord(
        ContainerReader container, EvidenceManifest manifest, EvidenceRecordEntry entry, SourceContext source,
        Dictionary<long, StampOutcome> stamps, MessageChecker checker, ChainWalker walker, ReportBuilder report)
    {
        var name = container.Name;
        var bytes = container.ReadBytes(entry.Record);
        if (bytes is null || !LogRecordCodec.TryDecode(bytes, out var record, out var error))
        {
            report.Error(FindingCodes.RecordUnreadable, $"{entry.Record} is missing or does not decode.", name, entry.Seq);
            return;
        }

        report.SawRecord(record.Seq, record.LoggedAt);
        if (record.Type != RecordType.Message || record.Seq != entry.Seq || record.MessageId != manifest.MessageId
            || !string.Equals(Convert.ToHexStringLower(record.Hash), entry.Hash, StringComparison.OrdinalIgnoreCase))
        {
            report.Error(FindingCodes.EvidenceMismatch, $"{entry.Record} is not the record the manifest lists (record {record.Seq}, message {record.MessageId}, hash {Convert.ToHexStringLower(record.Hash)}).", name, entry.Seq);
            return;
        }

        report.Messages++;
        ReadOnlyMemory<byte>? supplied = entry.Body is null ? null : container.ReadBytes(entry.Body);
        var pending = checker.Prepare(record, source, supplied);
        StampOutcome? stamp = null;
        if (entry.Stamp is not long stampSeq)
        {
            report.Error(FindingCodes.Unstamped, "The record was not time-stamped yet when the container was made: nothing proves when it was signed or that it was logged then, so the container is no evidence of it (its signer's certificate is checked as of now). Fetch the evidence again after the next time-stamp.", name, entry.Seq);
        }
        else if (!stamps.TryGetValue(stampSeq, out stamp) || stamp.FirstSeq > record.Seq || stamp.LastSeq < record.Seq)
        {
            report.Error(FindingCodes.Unstamped, $"The time-stamp the manifest names (record {stampSeq}) is not there or does not cover the record.", name, entry.Seq);
            stamp = null;
        }

        walker.Finalize(pending, stamp);
    }
}
