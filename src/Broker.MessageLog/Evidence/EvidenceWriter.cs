using System.IO.Compression;
using Broker.MessageLog.Containers;
using Broker.MessageLog.Json;
using Broker.MessageLog.Proofs;
using Broker.MessageLog.Records;

namespace Broker.MessageLog.Evidence;

/// <summary>
/// Writes the evidence of one X-Road message as a ZIP (docs/message-log.md#evidence-containers): its records as
/// logged, the timestamp records that cover them, their proofs, decrypted bodies when the key is given, the approved
/// CAs and TSAs, and a manifest with the digest of every entry. <c>broker audit verify</c> verifies it on its own.
/// </summary>
public static class EvidenceWriter
{
    public const string MediaType = "application/zip";

    public static void Write(Stream destination, EvidenceSet evidence, EvidenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(evidence);
        ArgumentNullException.ThrowIfNull(options);
        var createdAt = options.Time.GetUtcNow();
        using var container = new ContainerWriter(destination, createdAt);
        var listed = new List<EvidenceRecordEntry>(evidence.Items.Count);
        var proofs = new List<RecordProof>();
        var stamps = new HashSet<long>();
        foreach (var (record, stamp, proof) in evidence.Items)
        {
            var recordEntry = EvidenceFormat.RecordEntry(record.Seq);
            container.Add(recordEntry, record.Encoded.Span);
            if (stamp is not null && stamps.Add(stamp.Seq))
            {
                container.Add(EvidenceFormat.StampEntry(stamp.Seq), stamp.Encoded.Span);
            }

            if (proof is not null)
            {
                proofs.Add(proof);
            }

            string? bodyEntry = null;
            if (record.BodyStorage == BodyStorage.Encrypted && options.BodyKey is { } key && key.TryDecrypt(record.Seq, record.Body.Span, out var body))
            {
                bodyEntry = EvidenceFormat.BodyEntry(record.Seq);
                container.Add(bodyEntry, body, CompressionLevel.Optimal);
            }

            listed.Add(new EvidenceRecordEntry
            {
                Seq = record.Seq,
                Kind = record.Kind,
                Hash = Convert.ToHexStringLower(record.Hash),
                LoggedAt = record.LoggedAt,
                BodyStorage = record.BodyStorage,
                Record = recordEntry,
                Stamp = stamp?.Seq,
                Body = bodyEntry,
            });
        }

        using (var proofsEntry = container.Create(EvidenceFormat.Proofs))
        {
            ProofsWriter.Write(proofsEntry, proofs);
        }

        container.AddTrust(EvidenceFormat.CertificatesFolder, options.Trust);

        container.AddUnlisted(EvidenceFormat.Manifest, new EvidenceManifest
        {
            MessageId = evidence.MessageId,
            ServerId = options.ServerId,
            CreatedAt = createdAt,
            Records = listed,
            Entries = [.. container.Entries],
        }, MessageLogJson.Default.EvidenceManifest);
    }
}
