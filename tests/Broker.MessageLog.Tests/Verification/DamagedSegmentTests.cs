using Broker.MessageLog.Archives;
using Broker.MessageLog.Reading;
using Broker.MessageLog.Segments;
using Broker.MessageLog.Tests.Fixtures;
using Broker.MessageLog.Verification;

namespace Broker.MessageLog.Tests.Verification;

/// <summary>
/// Segment files that cannot be read whole, as every reader sees them through <see cref="RecordScanner"/>: the verifier
/// names each and goes on, the archiver and the evidence search refuse.
/// </summary>
public sealed class DamagedSegmentTests
{
    [Fact]
    public async Task VerifyLog_TornTailOfTheNewestSegment_IsAWarning_ElsewhereAnError()
    {
        using var dir = new TempDirectory();
        await TestLogs.BuildAsync(dir.Path);
        var segments = LogSegment.List(dir.Path);
        File.AppendAllBytes(segments[^1], [0, 0, 1, 0, 7, 7]); // a frame of 256 bytes with 2 of them written

        var newest = new LogVerifier().VerifyLog(dir.Path);
        Assert.True(newest.IsValid, Reports.Text(newest));
        Assert.Contains("ends in an incomplete record at offset", Reports.Single(newest, FindingCodes.RecordUnreadable, severity: FindingSeverity.Warning).Message, StringComparison.Ordinal);

        File.AppendAllBytes(segments[1], [0, 0, 1, 0, 7, 7]);
        var middle = new LogVerifier().VerifyLog(dir.Path);
        Assert.Contains($"{Path.GetFileName(segments[1])} ends in an incomplete record at offset", Reports.Single(middle, FindingCodes.RecordUnreadable).Message, StringComparison.Ordinal);
        Assert.Contains("although later segments exist", Reports.Single(middle, FindingCodes.RecordUnreadable).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UndecodableRecord_TheVerifierNamesItAndGoesOn_TheArchiverRefuses()
    {
        using var dir = new TempDirectory();
        var log = await TestLogs.BuildAsync(Path.Combine(dir.Path, "log"));
        var damaged = log.Messages[3].Seq;
        SegmentFiles.Modify(log.Directory, damaged, encoded => [.. encoded.Take(40), .. new byte[encoded.Length - 40]]);

        var report = new LogVerifier().VerifyLog(log.Directory);
        var archived = ArchiveWriter.Write(new ArchiveInput { SegmentPath = SegmentFiles.Locate(log.Directory, damaged).Path, ArchiveDirectory = Path.Combine(dir.Path, "archive"), ServerId = "s" });

        Assert.Contains("does not decode", Reports.Single(report, FindingCodes.RecordUnreadable, damaged).Message, StringComparison.Ordinal);
        Assert.Equal(log.LastSeq - 1, report.Records); // every other record was walked
        Assert.Equal(ArchiveStatus.Failed, archived.Status);
        Assert.Contains("does not decode", archived.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SegmentWithoutItsHeader_IsNoSegment_ForEveryReader()
    {
        using var dir = new TempDirectory();
        var log = await TestLogs.BuildAsync(dir.Path, new LogSpec { Exchanges = 4 });
        var segment = LogSegment.List(dir.Path)[0];
        var bytes = File.ReadAllBytes(segment);
        bytes[0] ^= 0xff;
        File.WriteAllBytes(segment, bytes);

        var report = new LogVerifier().VerifyLog(dir.Path);

        Assert.Contains($"{Path.GetFileName(segment)} is not a log segment", report.Findings.First(f => f.Code == FindingCodes.RecordUnreadable).Message, StringComparison.Ordinal);
        Assert.Throws<LogDamagedException>(() => RecordScanner.ReadAll(segment).ToList());
        using var scanner = RecordScanner.OpenSegment(segment);
        Assert.False(scanner.TryRead(out _));
        Assert.Equal(ScanEnd.BadHeader, scanner.End);
        Assert.NotEmpty(log.Messages);
    }
}
