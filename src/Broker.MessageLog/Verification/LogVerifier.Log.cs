using Broker.MessageLog.Reading;
using Broker.MessageLog.Segments;
using Broker.MessageLog.Trust;

namespace Broker.MessageLog.Verification;

public sealed partial class LogVerifier
{
    /// <summary>Verifies the live segments of a log directory; its newest records may not be time-stamped yet (a warning).</summary>
    public VerificationReport VerifyLog(string directory) => VerifySegments(directory, LogSegment.List(directory), directory);

    private VerificationReport VerifySegments(string target, IReadOnlyList<string> segments, string logDirectory)
    {
        var report = new ReportBuilder(target, VerificationKind.LogDirectory);
        var trustFolder = Path.Combine(logDirectory, TrustAnchors.FolderName);
        var trust = ChooseTrust(report, () => TrustAnchors.FromDirectory(trustFolder, $"the log's {TrustAnchors.FolderName}/ folder {trustFolder}"));
        var checker = NewChecker(report);
        var walker = new ChainWalker(report, checker);
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            var name = Path.GetFileName(segment);
            var source = new SourceContext(name, trust);
            walker.BeginSource(source);
            report.Segments++;
            using (var scanner = RecordScanner.OpenSegment(segment))
            {
                var end = Walk(scanner, walker);
                if (end == ScanEnd.TornTail && i == segments.Count - 1)
                {
                    report.Warning(FindingCodes.RecordUnreadable, $"{scanner.Problem}: a write cut short by a crash (never acknowledged; the writer cuts it off when it restarts).", name);
                }
                else if (end != ScanEnd.End)
                {
                    walker.AcceptUnreadable(end == ScanEnd.TornTail ? $"{scanner.Problem} although later segments exist." : $"{scanner.Problem}.");
                }
            }

            if (source.FirstSeq is long first && long.TryParse(Path.GetFileNameWithoutExtension(segment), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var named) && named != first)
            {
                report.Error(FindingCodes.SegmentName, $"{name} starts with record {first}, not with the record its name says ({named}).", name, first);
            }
        }

        walker.Complete(liveTail: true);
        return report.Build();
    }

    /// <summary>
    /// Walks a segment's records; a record that does not decode is reported and the walk goes on with the next frame.
    /// Returns where the scan stopped otherwise (its <see cref="RecordScanner.Problem"/> says what happened).
    /// </summary>
    private static ScanEnd Walk(RecordScanner scanner, ChainWalker walker)
    {
        while (true)
        {
            if (scanner.TryRead(out var record))
            {
                walker.Accept(record);
            }
            else if (scanner.End == ScanEnd.Undecodable)
            {
                walker.AcceptUnreadable($"{scanner.Problem}.");
            }
            else
            {
                return scanner.End;
            }
        }
    }
}
