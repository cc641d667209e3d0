using System.Security.Cryptography;
using Broker.Cryptography.Timestamping;
using Broker.MessageLog.Proofs;
using Broker.MessageLog.Records;

namespace Broker.MessageLog.Verification;

internal sealed partial class ChainWalker
{
    private void ProcessStamp(LogRecord stamp, SourceContext source)
    {
        var range = $"{stamp.FirstSeq}..{stamp.LastSeq}";
        var outcome = VerifyToken(stamp, source);
        if (stamp.FirstSeq <= _coveredThrough && stamp.FirstSeq >= _chainStart)
        {
            report.Error(FindingCodes.StampRange, $"The timestamp record covers {range} but records up to {_coveredThrough} are covered by an earlier time-stamp already.", source.Name, stamp.Seq);
        }

        // message records before this stamp's range will not be covered by any later stamp (stamps cover ranges in order)
        var skipped = _pending.Where(p => p.Seq < stamp.FirstSeq).ToList();
        foreach (var message in skipped)
        {
            report.Error(FindingCodes.Unstamped, $"The message record is not covered by any time-stamp (the next one, record {stamp.Seq}, starts at record {stamp.FirstSeq}).", message.Source.Name, message.Seq);
            Finalize(message, null);
        }

        var batch = _pending.Where(p => p.Seq >= stamp.FirstSeq && p.Seq <= stamp.LastSeq).OrderBy(p => p.Seq).ToList();
        _pending.RemoveAll(p => p.Seq <= stamp.LastSeq);
        var before = stamp.FirstSeq < _chainStart;
        if (before || stamp.LastSeq > (_lastSeq ?? 0))
        {
            // the batch reaches beyond what this verification holds: the per-record proofs stand in for the root
            if (batch.Count > 0 && batch.Any(m => m.Source.Proofs is null))
            {
                var outside = before ? $"records before {_chainStart}" : $"records after {_lastSeq}";
                report.Info(FindingCodes.StampPartial, $"The time-stamp covers records {range}; {outside} are not part of this verification, so its root is not recomputed (the token is checked).", source.Name, stamp.Seq);
            }
        }
        else if (!_missing.Any(m => m.From <= stamp.LastSeq && m.To >= stamp.FirstSeq))
        {
            CheckRoot(stamp, batch, source); // (with records missing in the range, the gap is the finding)
        }

        _stamps.Add(outcome);
        foreach (var message in batch)
        {
            Finalize(message, outcome);
        }

        _coveredThrough = Math.Max(_coveredThrough, stamp.LastSeq);
    }

    /// <summary>Verifies a timestamp record's token over its root and the sanity of its range.</summary>
    public StampOutcome VerifyToken(LogRecord stamp, SourceContext source)
    {
        var range = $"{stamp.FirstSeq}..{stamp.LastSeq}";
        DateTimeOffset? genTime = null;
        if (stamp.Root.Length != LogRecordCodec.HashSize)
        {
            report.Error(FindingCodes.StampToken, $"The timestamp record covering {range} holds no 32-byte root.", source.Name, stamp.Seq);
        }
        else if (TimestampTokens.TryVerify(stamp.Token.Span, stamp.Root, source.Trust.Anchors.TimestampAuthorities, out var time, out var error))
        {
            genTime = time;
        }
        else
        {
            report.Error(FindingCodes.StampToken, $"The time-stamp token covering records {range} does not verify: {error}.", source.Name, stamp.Seq);
        }

        if (stamp.FirstSeq > stamp.LastSeq || stamp.LastSeq >= stamp.Seq || stamp.LeafCount < 1)
        {
            report.Error(FindingCodes.StampRange, $"The timestamp record's range {range} with {stamp.LeafCount} leaves is not a range of earlier records.", source.Name, stamp.Seq);
        }

        return new StampOutcome(stamp.Seq, stamp.FirstSeq, stamp.LastSeq, stamp.LeafCount, stamp.Root, genTime, source.Name);
    }

    private void CheckRoot(LogRecord stamp, List<PendingMessage> batch, SourceContext source)
    {
        var range = $"{stamp.FirstSeq}..{stamp.LastSeq}";
        if (batch.Count != stamp.LeafCount)
        {
            report.Error(FindingCodes.StampLeafCount, $"The time-stamp counts {stamp.LeafCount} message records in {range} but {batch.Count} are there.", source.Name, stamp.Seq);
        }

        if (batch.Count > 0 && stamp.Root.Length == LogRecordCodec.HashSize
            && !CryptographicOperations.FixedTimeEquals(BatchProofs.ComputeRoot([.. batch.Select(m => m.Hash)]), stamp.Root))
        {
            report.Error(FindingCodes.StampRoot, $"The message records {range} do not hash to the root this time-stamp holds: one of them was changed, removed, added or re-linked since it was time-stamped.", source.Name, stamp.Seq);
        }
    }

    /// <summary>
    /// The message record's proof (when its source carries proofs) and its signature, as of the time its stamp's token
    /// proves; as of now when there is no stamp or its token does not verify (nothing then proves an earlier time).
    /// </summary>
    public void Finalize(PendingMessage message, StampOutcome? stamp)
    {
        var source = message.Source;
        if (source.Proofs is not null && stamp is not null)
        {
            if (!source.Proofs.TryGetValue(message.Seq, out var proof))
            {
                report.Error(FindingCodes.ProofMissing, $"The archive lists no proof for the message record (it is covered by the time-stamp in record {stamp.Seq}).", source.Name, message.Seq);
            }
            else
            {
                if (proof.StampSeq != stamp.Seq || proof.LeafCount != stamp.LeafCount
                    || !BatchProofs.Verifies(proof, message.Hash, stamp.Root))
                {
                    report.Error(FindingCodes.ProofInvalid, $"The record's proof (time-stamp {proof.StampSeq}, leaf {proof.Index} of {proof.LeafCount}) does not lead from the record's hash to the root of the time-stamp in record {stamp.Seq}.", source.Name, message.Seq);
                }
            }
        }

        checker.Check(message, stamp?.GenTime);
    }
}
