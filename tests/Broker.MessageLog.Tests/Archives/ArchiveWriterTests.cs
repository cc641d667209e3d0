using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Broker.MessageLog.Archives;
using Broker.MessageLog.Proofs;
using Broker.MessageLog.Segments;
using Broker.MessageLog.Tests.Fixtures;
using Broker.MessageLog.Trust;
using Broker.MessageLog.Verification;

namespace Broker.MessageLog.Tests.Archives;

public sealed class ArchiveWriterTests
{
    [Fact]
    public async Task Write_Cancelled_LeavesNoFileBehind_AndTheSegmentArchivesLater()
    {
        using var dir = new TempDirectory();
        var logDirectory = Path.Combine(dir.Path, "log");
        var archiveDirectory = Path.Combine(dir.Path, "archive");
        await TestLogs.BuildAsync(logDirectory);
        ArchiveInput Input(CancellationToken cancellationToken) => InputFor(LogSegment.List(logDirectory)[0], archiveDirectory, cancellationToken: cancellationToken);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        // the archiver abandons an idle pass this way when the backlog outgrows its limit (docs/message-log.md#when-archiving-runs)
        Assert.ThrowsAny<OperationCanceledException>(() => ArchiveWriter.Write(Input(cancelled.Token)));
        Assert.Empty(Directory.GetFiles(archiveDirectory)); // neither a temporary file nor an archive

        var result = ArchiveWriter.Write(Input(CancellationToken.None));
        Assert.Equal(ArchiveStatus.Written, result.Status);
        Assert.Equal(Path.GetFileName(result.Path), Path.GetFileName(Assert.Single(Directory.GetFiles(archiveDirectory))));
    }

    [Fact]
    public async Task Write_ClosedSegments_MakeAChainOfArchives_LinkedByDigest()
    {
        using var dir = new TempDirectory();
        var logDirectory = Path.Combine(dir.Path, "log");
        var archiveDirectory = Path.Combine(dir.Path, "archive");
        var log = await TestLogs.BuildAsync(logDirectory);
        var segments = LogSegment.List(logDirectory);

        var results = TestLogs.ArchiveAll(logDirectory, archiveDirectory);

        Assert.Equal(segments.Count - 1, results.Count);
        Assert.All(results, r => Assert.Equal(ArchiveStatus.Written, r.Status));
        Assert.Equal(results.Select(r => r.Path), ArchiveChain.List(archiveDirectory).Select(a => a.Path));
        Assert.DoesNotContain(Directory.GetFiles(archiveDirectory), f => f.EndsWith(".tmp", StringComparison.Ordinal));
        string? previous = null;
        string? previousSha = null;
        foreach (var result in results)
        {
            var manifest = JsonDocument.Parse(ZipFiles.Read(result.Path!, ArchiveFormat.Manifest)).RootElement;
            Assert.Equal(ArchiveFormat.FormatId, manifest.GetProperty("format").GetString());
            Assert.Equal(ArchiveFormat.FileName(result.FirstSeq, result.LastSeq), Path.GetFileName(result.Path));
            Assert.Equal(result.FirstSeq, manifest.GetProperty("firstSeq").GetInt64());
            var link = manifest.GetProperty("previousArchive");
            if (previous is null)
            {
                Assert.Equal(JsonValueKind.Null, link.ValueKind);
                Assert.Equal(new string('0', 64), manifest.GetProperty("firstPreviousHash").GetString());
            }
            else
            {
                Assert.Equal(previous, link.GetProperty("file").GetString());
                Assert.Equal(previousSha, link.GetProperty("sha256").GetString());
            }

            var entries = ZipFiles.Entries(result.Path!);
            Assert.Contains(ArchiveFormat.Records, entries);
            Assert.Contains(ArchiveFormat.Proofs, entries);
            Assert.Contains(entries, e => e.StartsWith("certificates/ca-", StringComparison.Ordinal));
            Assert.Contains(entries, e => e.StartsWith("certificates/tsa-", StringComparison.Ordinal));

            var proofs = ProofsFile.Read(new MemoryStream(ZipFiles.Read(result.Path!, ArchiveFormat.Proofs)), out var error);
            Assert.True(proofs is not null, error);
            Assert.Equal(log.Messages.Where(m => m.Seq >= result.FirstSeq && m.Seq <= result.LastSeq).Select(m => m.Seq), proofs.Keys.Order());

            // records.mlog is pinned by the chain (the manifest's last hash), every other entry by its digest
            var listed = manifest.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToList();
            Assert.DoesNotContain(ArchiveFormat.Records, listed);
            Assert.Equal(entries.Where(e => e is not ArchiveFormat.Manifest and not ArchiveFormat.Records).Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
            previous = Path.GetFileName(result.Path);
            previousSha = result.Sha256;
        }

        // batches span segment boundaries: their timestamp records are copied into the archive of the records they cover
        Assert.Contains(results, r => ZipFiles.Entries(r.Path!).Any(e => e.StartsWith(ArchiveFormat.StampsFolder, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Write_WithTheLinkOfTheArchiveItWroteBefore_PinsWhatWasWritten_NotWhatIsFoundLater()
    {
        using var dir = new TempDirectory();
        var logDirectory = Path.Combine(dir.Path, "log");
        var archiveDirectory = Path.Combine(dir.Path, "archive");
        await TestLogs.BuildAsync(logDirectory);
        var segments = LogSegment.List(logDirectory);
        ArchiveInput Input(int segment, ArchiveLink? previous) => InputFor(segments[segment], archiveDirectory, previous);
        var first = ArchiveWriter.Write(Input(0, null));
        Assert.Equal(ArchiveStatus.Written, first.Status);
        var written = first.Link;

        // the archive is changed between two passes: the server links the next one to the digest it wrote, not to the
        // file as it is now (which is not read again), so the auditor sees the change
        ZipFiles.Replace(first.Path!, ArchiveFormat.Manifest, bytes => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes).Replace("\"serverId\": \"MN/GOV/A/ss1\"", "\"serverId\": \"MN/GOV/A/ss2\"", StringComparison.Ordinal)));
        Assert.NotEqual(first.Sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(first.Path!))));
        var second = ArchiveWriter.Write(Input(1, written));

        var link = JsonDocument.Parse(ZipFiles.Read(second.Path!, ArchiveFormat.Manifest)).RootElement.GetProperty("previousArchive");
        Assert.Equal(first.Sha256, link.GetProperty("sha256").GetString());
        var report = new LogVerifier().VerifyArchives(archiveDirectory);
        Assert.Contains($"was changed after {Path.GetFileName(second.Path)} was written", Reports.Single(report, FindingCodes.ArchiveChain).Message, StringComparison.Ordinal);

        // a link that names another archive than the chain's newest is not taken: the newest is hashed as found
        var third = ArchiveWriter.Write(Input(2, written));
        link = JsonDocument.Parse(ZipFiles.Read(third.Path!, ArchiveFormat.Manifest)).RootElement.GetProperty("previousArchive");
        Assert.Equal(Path.GetFileName(second.Path), link.GetProperty("file").GetString());
        Assert.Equal(second.Sha256, link.GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task Write_ArchiveLargerThanAFlushChunk_ItsDigestIsThatOfTheFileOnDisk()
    {
        using var dir = new TempDirectory();
        var logDirectory = Path.Combine(dir.Path, "log");
        var archiveDirectory = Path.Combine(dir.Path, "archive");
        // incompressible bodies, so that the archive passes the 8 MiB at which its stream makes what it wrote durable
        await TestLogs.BuildAsync(logDirectory, new LogSpec
        {
            Exchanges = 6, MaxSegmentBytes = 10 << 20, Alter = draft => draft with { Body = RandomNumberGenerator.GetBytes(1 << 20) },
        });

        var result = TestLogs.ArchiveAll(logDirectory, archiveDirectory)[0];

        var bytes = File.ReadAllBytes(result.Path!);
        Assert.True(bytes.Length > 8 << 20, $"the archive is only {bytes.Length} bytes");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), result.Sha256);
    }

    [Fact]
    public async Task Write_LeavesNeitherTheSegmentNorTheArchiveInThePageCache()
    {
        using var dir = new TempDirectory();
        var logDirectory = Path.Combine(dir.Path, "log");
        await TestLogs.BuildAsync(logDirectory, new LogSpec { Exchanges = 300, MaxSegmentBytes = 256 << 10 });
        var segment = LogSegment.List(logDirectory)[0];
        _ = File.ReadAllBytes(segment); // as an evidence search would have left it
        Assert.True(PageCache.ResidentBytes(segment) > 64 << 10);

        var result = ArchiveWriter.Write(new ArchiveInput { SegmentPath = segment, ArchiveDirectory = Path.Combine(dir.Path, "archive"), ServerId = "MN/GOV/A/ss1", Trust = TestPki.Trust });
        Assert.Equal(ArchiveStatus.Written, result.Status);

        Assert.True(new FileInfo(segment).Length > 64 << 10);
        Assert.Equal(0, PageCache.ResidentBytes(segment));
        Assert.Equal(0, PageCache.ResidentBytes(result.Path!));
    }

    [Fact]
    public async Task Write_AgainAfterACrash_IsAlreadyArchived()
    {
        using var dir = new TempDirectory();
        var logDirectory = Path.Combine(dir.Path, "log");
        var archiveDirectory = Path.Combine(dir.Path, "archive");
        await TestLogs.BuildAsync(logDirectory, new LogSpec { Exchanges = 4 });
        var first = TestLogs.ArchiveAll(logDirectory, archiveDirectory)[0];

        var again = ArchiveWriter.Write(new ArchiveInput { SegmentPath = LogSegment.List(logDirectory)[0], ArchiveDirectory = archiveDirectory, ServerId = "MN/GOV/A/ss1" });

        Assert.Equal(ArchiveStatus.AlreadyArchived, again.Status);
        Assert.Equal(first.Path, again.Path);
        Assert.Equal(first.Sha256, again.Sha256);
    }

    [Fact]
    public async Task Write_SegmentNotYetTimeStamped_WaitsForItsStamp()
    {
        using var dir = new TempDirectory();
        var logDirectory = Path.Combine(dir.Path, "log");
        await TestLogs.BuildAsync(logDirectory, new LogSpec { Exchanges = 4, StampEvery = 1000, StampTail = false });

        var result = ArchiveWriter.Write(new ArchiveInput { SegmentPath = LogSegment.List(logDirectory)[0], ArchiveDirectory = Path.Combine(dir.Path, "archive"), ServerId = "MN/GOV/A/ss1" });

        Assert.Equal(ArchiveStatus.NotStamped, result.Status);
        Assert.Contains("not time-stamped yet", result.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "archive")) && Directory.GetFiles(Path.Combine(dir.Path, "archive")).Length > 0);
    }

    [Fact]
    public async Task Write_OutOfOrder_RefusesToLeaveAGapInTheChain()
    {
        using var dir = new TempDirectory();
        var logDirectory = Path.Combine(dir.Path, "log");
        await TestLogs.BuildAsync(logDirectory);
        var segments = LogSegment.List(logDirectory);
        var archiveDirectory = Path.Combine(dir.Path, "archive");
        Assert.True(ArchiveWriter.Write(new ArchiveInput { SegmentPath = segments[0], ArchiveDirectory = archiveDirectory, ServerId = "s", Trust = TestPki.Trust }).IsArchived);

        var skipped = ArchiveWriter.Write(new ArchiveInput { SegmentPath = segments[2], ArchiveDirectory = archiveDirectory, ServerId = "s", Trust = TestPki.Trust });

        Assert.Equal(ArchiveStatus.Failed, skipped.Status);
        Assert.Contains("archive the segments in order", skipped.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_BatchReachingIntoAnArchivedAndRemovedSegment_TakesItsLeavesFromTheArchive()
    {
        using var dir = new TempDirectory();
        var logDirectory = Path.Combine(dir.Path, "log");
        var archiveDirectory = Path.Combine(dir.Path, "archive");
        await TestLogs.BuildAsync(logDirectory, new LogSpec { StampEvery = 9 });
        var segments = LogSegment.List(logDirectory);
        foreach (var segment in segments.Take(segments.Count - 1))
        {
            var result = ArchiveWriter.Write(new ArchiveInput { SegmentPath = segment, ArchiveDirectory = archiveDirectory, ServerId = "s", Trust = TestPki.Trust });
            Assert.True(result.IsArchived, result.Message);
            File.Delete(segment); // as soon as it is archived: the next archive finds the batch's first leaves in the archive
        }

        var report = new Broker.MessageLog.Verification.LogVerifier().VerifyArchives(archiveDirectory);
        Reports.Clean(report);
    }

    [Fact]
    public async Task Write_WhenTheArchivesReachOnlyPartWayIntoTheSegment_Fails_SoTheSegmentIsKept()
    {
        using var dir = new TempDirectory();
        var logDirectory = Path.Combine(dir.Path, "log");
        var archiveDirectory = Path.Combine(dir.Path, "archive");
        await TestLogs.BuildAsync(logDirectory);
        var first = TestLogs.ArchiveAll(logDirectory, archiveDirectory)[0];
        // an archive directory that does not match the log: its only archive ends inside the first segment
        File.Move(first.Path!, Path.Combine(archiveDirectory, ArchiveFormat.FileName(first.FirstSeq, first.LastSeq - 1)));
        foreach (var later in ArchiveChain.List(archiveDirectory).Skip(1))
        {
            File.Delete(later.Path);
        }

        var again = ArchiveWriter.Write(new ArchiveInput { SegmentPath = LogSegment.List(logDirectory)[0], ArchiveDirectory = archiveDirectory, ServerId = "MN/GOV/A/ss1" });

        Assert.Equal(ArchiveStatus.Failed, again.Status);
        Assert.False(again.IsArchived); // the archiver would otherwise delete records no archive holds
        Assert.Contains("no archive holds exactly that segment", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_TimestampRecordWithAnImpossibleRange_IsDamage_NotAHang()
    {
        using var dir = new TempDirectory();
        var logDirectory = Path.Combine(dir.Path, "log");
        await TestLogs.BuildAsync(logDirectory, new LogSpec { Exchanges = 4, StampEvery = 1000, StampTail = false });
        await using (var writer = Writing.MessageLogWriter.Open(new Writing.MessageLogWriterOptions { Directory = logDirectory, MaxSegmentBytes = 12_000 }))
        {
            var root = new byte[32];
            await writer.AppendAsync(new Records.TimestampEntry(long.MinValue, long.MaxValue, 2, root, TestPki.Stamp(root)));
        }

        var result = await Task.Run(() => ArchiveWriter.Write(new ArchiveInput { SegmentPath = LogSegment.List(logDirectory)[0], ArchiveDirectory = Path.Combine(dir.Path, "archive"), ServerId = "s" }), TestContext.Current.CancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(ArchiveStatus.Failed, result.Status);
        Assert.Contains("the log is damaged", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrustAnchors_WriteDirectory_ThenFromDirectory_RoundTrips()
    {
        using var dir = new TempDirectory();
        TestPki.Trust.WriteDirectory(dir.Path);

        var read = TrustAnchors.FromDirectory(dir.Path, "test");

        Assert.Equal(TestPki.Ca.Certificate.RawData, Assert.Single(read.CertificateAuthorities).RawData);
        Assert.Equal(TestPki.Tsa.Certificate.RawData, Assert.Single(read.TimestampAuthorities).RawData);
    }

    private static ArchiveInput InputFor(string segment, string archiveDirectory, ArchiveLink? previous = null, CancellationToken cancellationToken = default) => new()
    {
        SegmentPath = segment, ArchiveDirectory = archiveDirectory, ServerId = "MN/GOV/A/ss1", Trust = TestPki.Trust, PreviousLink = previous,
        CancellationToken = cancellationToken,
    };
}
