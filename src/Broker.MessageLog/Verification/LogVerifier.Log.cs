using Broker.MessageLog.Segments;
using Broker.MessageLog.Trust;

namespace Broker.MessageLog.Verification;

public sealed partial class LogVerifier
{
    /// <summary>The name of the folder beside the segments with the approved CAs and TSAs (<see cref="TrustAnchors.FolderName"/>).</summary>
    public const string TrustFolder = TrustAnchors.FolderName;

    /// <summary>Verifies the live segments of a log directory; its newest records may not be time-stamped yet (a warning).</summary>
    public VerificationReport VerifyLog(string directory) => VerifySegments(directory, LogSegment.List(directory), directory);

    private VerificationReport VerifySegments(string target, IReadOnlyList<string> segments, string logDirectory)
    {
        var report = new ReportBuilder(target, VerificationKind.LogDirectory);
        var trustFolder = Path.Combine(logDirectory, TrustFolder);
        var trust = ChooseTrust(report, () => TrustAnchors.FromDirectory(trustFolder, $"the log's {TrustFolder}/ folder {trustFolder}"));
        var checker = NewChecker(report);
        var walker = new ChainWalker(report, checker);
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            var name = Path.GetFileName(segment);
            var source = new SourceContext(name, trust);
            walker.BeginSource(source);
            report.Segments++;
            try
            {
                using var reader = new SegmentReader(segment);
                if (!reader.HeaderValid)
                {
                    walker.AcceptUnreadable($"{name} is not a log segment: its header is not {System.Text.Encoding.ASCII.GetString(LogSegment.Header)}.");
                    continue;
                }

                while (reader.TryRead(out var offset, out var record, out var error))
                {
                    if (record is null)
                    {
                        walker.AcceptUnreadable($"The record at offset {offset} of {name} does not decode: {error}.");
                    }
                    else
                    {
                        walker.Accept(record);
                    }
                }

                if (reader.TornTailAt is long torn)
                {
                    if (i == segments.Count - 1)
                    {
                        report.Warning(FindingCodes.RecordUnreadable, $"{name} ends in an incomplete record at offset {torn}: a write cut short by a crash (never acknowledged; the writer cuts it off when it restarts).", name);
                    }
                    else
                    {
                        walker.AcceptUnreadable($"{name} is cut short at offset {torn} although later segments exist.");
                    }
                }
            }
            catch (IOException e)
            {
                walker.AcceptUnreadable($"{name} cannot be read: {e.Message}");
            }

            if (source.FirstSeq is long first && long.TryParse(Path.GetFileNameWithoutExtension(segment), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var named) && named != first)
            {
                report.Error(FindingCodes.SegmentName, $"{name} starts with record {first}, not with the record its name says ({named}).", name, first);
            }
        }

        walker.Complete(liveTail: true);
        return report.Build();
    }
}
