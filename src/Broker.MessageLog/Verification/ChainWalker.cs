using Broker.MessageLog.Records;

namespace Broker.MessageLog.Verification;

/// <summary>
/// Walks the records of a log in stored order, across segments and archives, in one pass: sequence continuity and
/// previous-hash links (gaps, reordering, duplicates, changed records), then per timestamp record its token, its
/// range and its root over the message records it covers, and per message record its proof and its signature as of
/// the time-stamp's time (as of now for a record no time-stamp covers). Message records wait (as digests) until the timestamp record that covers them comes.
/// </summary>
internal sealed partial class ChainWalker(ReportBuilder report, MessageChecker checker)
{
    private readonly List<(long From, long To, string Source)> _missing = [];
    private readonly List<PendingMessage> _pending = [];
    private readonly List<StampOutcome> _stamps = [];
    private readonly SortedDictionary<long, (LogRecord Stamp, SourceContext Source)> _external = [];
    private SourceContext _source = null!;
    private long? _lastSeq;
    private byte[] _lastHash = [];
    private string _lastSource = "";
    private long _chainStart;
    private long _coveredThrough;
    private bool _afterUnreadable;

    public void BeginSource(SourceContext source) => _source = source;

    /// <summary>A record that cannot be read breaks the chain here; the next record's link cannot be checked.</summary>
    public void AcceptUnreadable(string message)
    {
        report.Error(FindingCodes.RecordUnreadable, message, _source.Name, _lastSeq + 1);
        _afterUnreadable = true;
    }

    /// <summary>The next record in stored order.</summary>
    public void Accept(LogRecord record)
    {
        // a copied stamp whose record should have come by now (its archive is missing): it covers what it covers
        while (_external.Count > 0 && _external.First() is { Key: var copied, Value: var external } && copied < record.Seq)
        {
            _external.Remove(copied);
            report.Stamps++;
            ProcessStamp(external.Stamp, external.Source);
        }

        report.SawRecord(record.Seq, record.LoggedAt);
        Track(record);
        if (!CheckChain(record))
        {
            return;
        }

        if (_external.Remove(record.Seq, out var copy) && !copy.Stamp.Encoded.Span.SequenceEqual(record.Encoded.Span))
        {
            report.Error(FindingCodes.ArchiveStamp, $"The copy of timestamp record {record.Seq} in {copy.Source.Name} differs from the record itself.", copy.Source.Name, record.Seq);
        }

        if (record.Type == RecordType.Message)
        {
            report.Messages++;
            if (_source.Proofs is not null)
            {
                _source.MessageSeqs.Add(record.Seq);
            }

            var pending = checker.Prepare(record, _source);
            if (record.Seq <= _coveredThrough)
            {
                // stored after the time-stamp that covers it (reordered): checked against that stamp now
                Finalize(pending, _stamps.LastOrDefault(s => s.FirstSeq <= record.Seq && record.Seq <= s.LastSeq));
            }
            else
            {
                _pending.Add(pending);
            }
        }
        else
        {
            report.Stamps++;
            ProcessStamp(record, _source);
        }
    }

    /// <summary>A timestamp record copied into an archive's <c>stamps/</c> (it lies in a later segment).</summary>
    public void AddExternalStamp(LogRecord stamp, SourceContext source)
    {
        if (_lastSeq is long last && stamp.Seq <= last)
        {
            return; // the record itself was already walked
        }

        _external[stamp.Seq] = (stamp, source);
    }

    /// <summary>Ends the walk: copied stamps whose record never came, gaps, and message records no stamp covered.</summary>
    /// <param name="liveTail">True for a live log, whose newest records are not time-stamped yet (a warning, not an error).</param>
    public void Complete(bool liveTail)
    {
        foreach (var (_, (stamp, source)) in _external)
        {
            report.Stamps++;
            ProcessStamp(stamp, source);
        }

        _external.Clear();
        foreach (var (from, to, source) in _missing)
        {
            report.Error(FindingCodes.ChainGap, from == to ? $"Record {from} is missing: it was removed." : $"Records {from}..{to} are missing: they were removed.", source, from);
        }

        var tail = liveTail ? _pending.Where(p => p.Seq > _coveredThrough).ToList() : [];
        foreach (var message in _pending.Except(tail))
        {
            report.Error(FindingCodes.Unstamped, "The message record is not covered by any time-stamp.", message.Source.Name, message.Seq);
            Finalize(message, null);
        }

        if (tail.Count > 0)
        {
            report.Warning(FindingCodes.Unstamped, $"Records {tail[0].Seq}..{tail[^1].Seq} ({tail.Count} messages, logged since {Time(tail[0].LoggedAt)}) are not time-stamped yet: the live log's tail; their signers' certificates are checked as of now, since no time-stamp proves an earlier signing time.", tail[0].Source.Name, tail[0].Seq);
            tail.ForEach(m => Finalize(m, null));
        }

        _pending.Clear();
    }

    private void Track(LogRecord record)
    {
        if (_source.FirstSeq is null)
        {
            _source.FirstSeq = record.Seq;
            _source.FirstPreviousHash = record.PreviousHash;
        }

        _source.LastSeq = record.Seq;
        _source.LastHash = record.Hash;
    }

    /// <summary>Checks the record's place in the chain; false when it is a duplicate and is not checked further.</summary>
    private bool CheckChain(LogRecord record)
    {
        var afterUnreadable = _afterUnreadable;
        _afterUnreadable = false;
        if (_lastSeq is not long last)
        {
            _chainStart = record.Seq;
            _coveredThrough = record.Seq - 1;
            if (record.Seq == 1 && record.PreviousHash.AsSpan().ContainsAnyExcept((byte)0))
            {
                report.Error(FindingCodes.ChainGenesis, "Record 1 does not start the chain: its previous-hash field is not zero.", _source.Name, 1);
            }
            else if (record.Seq > 1)
            {
                report.Info(FindingCodes.ChainStart, $"The chain starts at record {record.Seq}: the records before it are not part of this verification, so its link to them is not checked.", _source.Name, record.Seq);
            }

            Advance(record);
            return true;
        }

        if (record.Seq == last + 1)
        {
            if (!afterUnreadable && !record.PreviousHash.AsSpan().SequenceEqual(_lastHash))
            {
                report.Error(FindingCodes.ChainLink, $"Record {last} no longer matches the hash that record {record.Seq} links to ({Short(record.PreviousHash)}, record {last} hashes to {Short(_lastHash)}): record {last} was changed after it was logged, or record {record.Seq} was re-linked.", _source.Name, last);
            }

            Advance(record);
            return true;
        }

        if (record.Seq > last + 1)
        {
            if (!afterUnreadable)
            {
                _missing.Add((last + 1, record.Seq - 1, _source.Name == _lastSource ? _source.Name : $"between {_lastSource} and {_source.Name}"));
            }

            Advance(record);
            return true;
        }

        var gap = _missing.FindIndex(m => m.From <= record.Seq && record.Seq <= m.To);
        if (gap < 0)
        {
            report.Error(FindingCodes.ChainDuplicate, $"Record {record.Seq} appears again after record {last}: it was copied or replayed.", _source.Name, record.Seq);
            return false;
        }

        var (from, to, where) = _missing[gap];
        _missing.RemoveAt(gap);
        if (from < record.Seq)
        {
            _missing.Insert(gap++, (from, record.Seq - 1, where));
        }

        if (record.Seq < to)
        {
            _missing.Insert(gap, (record.Seq + 1, to, where));
        }

        report.Error(FindingCodes.ChainOrder, $"Record {record.Seq} is out of order: it is stored after record {last}. Records were moved.", _source.Name, record.Seq);
        return true;
    }

    private void Advance(LogRecord record)
    {
        _lastSeq = record.Seq;
        _lastHash = record.Hash;
        _lastSource = _source.Name;
    }

    internal static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static string Short(byte[] hash) => Convert.ToHexStringLower(hash.AsSpan(0, Math.Min(8, hash.Length))) + "…";
}
