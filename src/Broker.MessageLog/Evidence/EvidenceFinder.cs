using Broker.MessageLog.Proofs;
using Broker.MessageLog.Reading;
using Broker.MessageLog.Records;
using Broker.Protocol.Envelopes;

namespace Broker.MessageLog.Evidence;

/// <summary>
/// Finds the records of an X-Road message id in a log (the live segments newest first, then the archives), the
/// timestamp records that cover them, and their proofs. A record not time-stamped yet comes without stamp and proof.
/// </summary>
public static class EvidenceFinder
{
    /// <summary>The records of <paramref name="messageId"/>; an empty set when the log holds none.</summary>
    /// <param name="logDirectory">The live segments.</param>
    /// <param name="archiveDirectory">The archives, searched for what is no longer in the live directory; null searches the live log only.</param>
    public static EvidenceSet Find(string logDirectory, string messageId, string? archiveDirectory = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        var sources = LogSources.Open(logDirectory, archiveDirectory);
        var found = FindRecords(sources, messageId, cancellationToken);
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

            var batch = Leaves(sources, stamp, cancellationToken);
            var proofs = BatchProofs.Build(stamp.Seq, batch, out _).ToDictionary(p => p.Seq);
            items.AddRange(group.Select(r => new EvidenceItem(r, stamp, proofs.GetValueOrDefault(r.Seq))));
        }

        items.Sort((a, b) => a.Record.Seq.CompareTo(b.Record.Seq));
        return new EvidenceSet(messageId, items);
    }

    /// <summary>Newest source first, until a request and a response have been found (or everything was read).</summary>
    private static List<LogRecord> FindRecords(LogSources sources, string messageId, CancellationToken cancellationToken)
    {
        var found = new Dictionary<long, LogRecord>();
        for (var i = sources.All.Count - 1; i >= 0; i--)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var record in LogSources.Read(sources.All[i]))
            {
                if (record.Type == RecordType.Message && record.MessageId == messageId)
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

    private static List<(long Seq, byte[] Hash)> Leaves(LogSources sources, LogRecord stamp, CancellationToken cancellationToken)
    {
        var leaves = new SortedDictionary<long, byte[]>();
        foreach (var source in sources.Overlapping(stamp.FirstSeq, stamp.LastSeq))
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var record in LogSources.Read(source))
            {
                if (record.Type == RecordType.Message && record.Seq >= stamp.FirstSeq && record.Seq <= stamp.LastSeq)
                {
                    leaves[record.Seq] = record.Hash;
                }
            }
        }

        return [.. leaves.Select(l => (l.Key, l.Value))];
    }
}
