using Broker.MessageLog.Proofs;
using Broker.MessageLog.Reading;
using Broker.MessageLog.Records;
using Broker.Protocol.Envelopes;

namespace Broker.MessageLog.Evidence;

/// <summary>
/// Finds the records of an X-Road message id in a log (the live segments newest first, then the archives), the
/// timestamp records that cover them, and their proofs. A record not time-stamped yet comes without stamp and proof.
/// Nothing is guessed: a record that does not decode where the search reads, or a batch whose records are missing or no
/// longer hash to its time-stamped root, throws <see cref="LogDamagedException"/> rather than give evidence that
/// cannot verify.
/// </summary>
public static class EvidenceFinder
{
    /// <summary>The records of <paramref name="messageId"/> that <paramref name="include"/> accepts; an empty set when the log holds none.</summary>
    /// <param name="logDirectory">The live segments.</param>
    /// <param name="messageId">The <c>X-Road-Id</c>.</param>
    /// <param name="archiveDirectory">The archives, searched for what is no longer in the live directory; null searches the live log only.</param>
    /// <param name="include">
    /// Which records count (the caller's party check): applied while searching, so that records of another party that
    /// reused the id do not end the search before the caller's own are found. Null takes every record of the id.
    /// </param>
    /// <param name="cancellationToken">Stops the search.</param>
    /// <exception cref="LogDamagedException">The log is damaged where the evidence lies; <c>broker audit verify</c> says how.</exception>
    public static EvidenceSet Find(string logDirectory, string messageId, string? archiveDirectory = null, Func<LogRecord, bool>? include = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        var sources = LogSources.Open(logDirectory, archiveDirectory);
        var found = FindRecords(sources, messageId, include ?? (_ => true), cancellationToken);
        if (found.Count == 0)
        {
            return new EvidenceSet(messageId, []);
        }

        var stamps = FindStamps(sources, found, cancellationToken);
        var items = new List<EvidenceItem>(found.Count);
        foreach (var group in found.GroupBy(r => stamps.GetValueOrDefault(r.Seq)))
        {
            if (group.Key is not { } stamp)
            {
                items.AddRange(group.Select(r => new EvidenceItem(r, null, null)));
                continue;
            }

            var leaves = new Dictionary<long, byte[]>();
            BatchProofBuilder.LoadLeaves(sources, stamp.FirstSeq, stamp.LastSeq, leaves, cancellationToken);
            var proofs = BatchProofBuilder.TryBuild(stamp, leaves, out var failure)
                ?? throw new LogDamagedException($"The evidence of message {messageId} cannot be made: {failure}. The log is damaged: run `broker audit verify`.");
            var bySeq = proofs.ToDictionary(p => p.Seq);
            items.AddRange(group.Select(r => new EvidenceItem(r, stamp, bySeq[r.Seq])));
        }

        items.Sort((a, b) => a.Record.Seq.CompareTo(b.Record.Seq));
        return new EvidenceSet(messageId, items);
    }

    /// <summary>Newest source first, until an included request and response have been found (or everything was read).</summary>
    private static List<LogRecord> FindRecords(LogSources sources, string messageId, Func<LogRecord, bool> include, CancellationToken cancellationToken)
    {
        var found = new Dictionary<long, LogRecord>();
        for (var i = sources.All.Count - 1; i >= 0; i--)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var record in LogSources.Read(sources.All[i]))
            {
                if (record.Type == RecordType.Message && record.MessageId == messageId && include(record))
                {
                    found.TryAdd(record.Seq, record);
                }
            }

            if (found.Values.Any(r => r.Kind == EnvelopeKind.Request) && found.Values.Any(r => r.Kind == EnvelopeKind.Response))
            {
                break;
            }
        }

        return [.. found.Values.OrderBy(r => r.Seq)];
    }

    /// <summary>The timestamp record covering each found record, reading forward from the oldest of them.</summary>
    private static Dictionary<long, LogRecord> FindStamps(LogSources sources, List<LogRecord> found, CancellationToken cancellationToken)
    {
        var stamps = new Dictionary<long, LogRecord>();
        foreach (var source in sources.Overlapping(found[0].Seq, long.MaxValue))
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var record in LogSources.Read(source))
            {
                if (record.Type != RecordType.Timestamp)
                {
                    continue;
                }

                foreach (var message in found.Where(m => !stamps.ContainsKey(m.Seq) && record.FirstSeq <= m.Seq && m.Seq <= record.LastSeq))
                {
                    stamps[message.Seq] = record;
                }
            }

            if (stamps.Count == found.Count)
            {
                break;
            }
        }

        return stamps;
    }
}
