using System.Text;
using Broker.MessageLog.Archives;
using Broker.MessageLog.Proofs;
using Broker.MessageLog.Tests.Fixtures;
using Broker.MessageLog.Verification;

namespace Broker.MessageLog.Tests.Archives;

/// <summary>Archives and the chain of archives verified offline, untouched and tampered with.</summary>
public sealed class ArchiveVerificationTests
{
    [Fact]
    public async Task VerifyArchive_EachArchiveOnItsOwn_Verifies()
    {
        using var dir = new TempDirectory();
        var (_, results) = await ArchivedAsync(dir.Path);

        foreach (var result in results)
        {
            var report = new LogVerifier().VerifyArchive(result.Path!);
            Reports.Clean(report);
            Assert.Equal(result.LastSeq - result.FirstSeq + 1, report.Records);
            Assert.Equal(report.Messages, report.SignaturesVerified);
            Assert.Contains($"inside {Path.GetFileName(result.Path)}", report.Trust, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task VerifyArchives_TheChain_Verifies()
    {
        using var dir = new TempDirectory();
        var (log, results) = await ArchivedAsync(dir.Path);

        var report = new LogVerifier().Verify(Path.Combine(dir.Path, "archive"));

        Reports.Clean(report);
        Assert.Equal(VerificationKind.ArchiveDirectory, report.Kind);
        Assert.Equal(results.Count, report.Archives);
        Assert.Equal(results[^1].LastSeq, report.Records);
        Assert.Equal(log.Messages.Count(m => m.Seq <= results[^1].LastSeq), report.SignaturesVerified);
    }

    [Fact]
    public async Task VerifyArchives_ArchiveRemovedFromTheMiddle_IsAGapInTheChain()
    {
        using var dir = new TempDirectory();
        var (_, results) = await ArchivedAsync(dir.Path);
        var removed = results[1];
        File.Delete(removed.Path!);

        var report = new LogVerifier().VerifyArchives(Path.Combine(dir.Path, "archive"));

        var link = Reports.Single(report, FindingCodes.ArchiveChain);
        Assert.Equal(Path.GetFileName(results[2].Path), link.Source);
        Assert.Contains($"links to {Path.GetFileName(removed.Path)}, which is not in the directory", link.Message, StringComparison.Ordinal);
        Assert.Equal($"Records {removed.FirstSeq}..{removed.LastSeq} are missing: they were removed.", Reports.Single(report, FindingCodes.ChainGap, removed.FirstSeq).Message);
    }

    [Fact]
    public async Task VerifyArchives_ArchiveChangedAfterTheNextWasWritten_BreaksTheDigestLink()
    {
        using var dir = new TempDirectory();
        var (_, results) = await ArchivedAsync(dir.Path);
        ZipFiles.Replace(results[0].Path!, ArchiveFormat.Manifest, bytes => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes).Replace("\"serverId\": \"MN/GOV/A/ss1\"", "\"serverId\": \"MN/GOV/A/ss2\"", StringComparison.Ordinal)));

        var report = new LogVerifier().VerifyArchives(Path.Combine(dir.Path, "archive"));

        var finding = Reports.Single(report, FindingCodes.ArchiveChain);
        Assert.Equal(Path.GetFileName(results[0].Path), finding.Source);
        Assert.Contains($"was changed after {Path.GetFileName(results[1].Path)} was written", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyArchive_ChangedEntry_IsAManifestDigestMismatch()
    {
        using var dir = new TempDirectory();
        var (_, results) = await ArchivedAsync(dir.Path);
        var archive = results[1].Path!;
        ZipFiles.Replace(archive, ArchiveFormat.Proofs, bytes =>
        {
            // the first proof of a batch claims to be its second leaf
            var proofs = ProofsFile.Read(new MemoryStream(bytes), out _)!.Values.OrderBy(p => p.Seq).ToList();
            var target = proofs.FindIndex(p => p.Index == 0 && p.LeafCount > 1);
            proofs[target] = proofs[target] with { Index = 1 };
            var changed = new MemoryStream();
            ProofsFile.Write(changed, proofs);
            return changed.ToArray();
        });

        var report = new LogVerifier().VerifyArchive(archive);

        Assert.StartsWith($"{ArchiveFormat.Proofs} does not match the manifest", Reports.Single(report, FindingCodes.ManifestDigest).Message, StringComparison.Ordinal);
        Assert.Contains(report.Findings, f => f.Code == FindingCodes.ProofInvalid && f.Seq is not null);
    }

    [Fact]
    public async Task VerifyArchive_ChangedBodyInsideTheArchive_NamesTheRecord()
    {
        using var dir = new TempDirectory();
        var (log, results) = await ArchivedAsync(dir.Path);
        var archive = results[2];
        var target = log.Messages.First(m => m.Seq > archive.FirstSeq && m.Seq < archive.LastSeq).Seq;
        ZipFiles.Replace(archive.Path!, ArchiveFormat.Records, segment => SegmentFiles.Rewrite(segment, records =>
            records.Select(r => SegmentFiles.SeqOf(r) == target ? SegmentFiles.WithBodyByteFlipped(r) : r)));

        var report = new LogVerifier().VerifyArchive(archive.Path!);

        Reports.Single(report, FindingCodes.BodyChanged, target);
        Reports.Single(report, FindingCodes.ChainLink, target);
        Assert.Contains(report.Findings, f => f.Code == FindingCodes.ProofInvalid && f.Seq == target);
        Assert.DoesNotContain(report.Findings, f => f.Code == FindingCodes.ManifestDigest); // records.mlog is pinned by the chain, not by a digest
    }

    [Fact]
    public async Task VerifyArchive_ChangedLastRecord_IsAManifestMismatch()
    {
        using var dir = new TempDirectory();
        var (log, results) = await ArchivedAsync(dir.Path);
        var archive = results.First(r => log.Messages.Any(m => m.Seq == r.LastSeq));
        var target = archive.LastSeq;
        ZipFiles.Replace(archive.Path!, ArchiveFormat.Records, segment => SegmentFiles.Rewrite(segment, records =>
            records.Select(r => SegmentFiles.SeqOf(r) == target ? SegmentFiles.WithBodyByteFlipped(r) : r)));

        var report = new LogVerifier().VerifyArchive(archive.Path!);

        Reports.Single(report, FindingCodes.BodyChanged, target);
        // nothing after it in the archive links to it: the manifest's last hash gives it away
        Assert.Contains("last hash differs from the records", Reports.Single(report, FindingCodes.ManifestMismatch).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyArchive_FirstFormat_StillVerifies_AndItsRecordsDigestIsChecked()
    {
        using var dir = new TempDirectory();
        var (log, results) = await ArchivedAsync(dir.Path);
        var archive = results[1];
        ArchiveFiles.ToFirstFormat(archive.Path!);

        var report = new LogVerifier().VerifyArchive(archive.Path!);
        Reports.Clean(report);
        Assert.Equal(log.Messages.Count(m => m.Seq >= archive.FirstSeq && m.Seq <= archive.LastSeq), report.Messages);

        var target = log.Messages.First(m => m.Seq > archive.FirstSeq && m.Seq < archive.LastSeq).Seq;
        ZipFiles.Replace(archive.Path!, ArchiveFormat.Records, segment => SegmentFiles.Rewrite(segment, records =>
            records.Select(r => SegmentFiles.SeqOf(r) == target ? SegmentFiles.WithBodyByteFlipped(r) : r)));
        report = new LogVerifier().VerifyArchive(archive.Path!);
        Reports.Single(report, FindingCodes.BodyChanged, target);
        Assert.StartsWith($"{ArchiveFormat.Records} does not match the manifest", Reports.Single(report, FindingCodes.ManifestDigest).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyArchive_TruncatedProofs_IsUnreadable_AndTheRecordsLackTheirProofs()
    {
        using var dir = new TempDirectory();
        var (_, results) = await ArchivedAsync(dir.Path);
        var archive = results[1].Path!;
        ZipFiles.Replace(archive, ArchiveFormat.Proofs, bytes => bytes[..^7]);

        var report = new LogVerifier().VerifyArchive(archive);

        Assert.Contains($"{ArchiveFormat.Proofs} cannot be read: it ends inside the proof", Reports.Single(report, FindingCodes.ManifestInvalid).Message, StringComparison.Ordinal);
        Assert.Contains(report.Findings, f => f.Code == FindingCodes.ProofMissing);
        Assert.False(report.IsValid);
    }

    [Fact]
    public async Task VerifyArchive_RemovedRecordInsideTheArchive_IsMissing_AndItsProofIsOrphaned()
    {
        using var dir = new TempDirectory();
        var (log, results) = await ArchivedAsync(dir.Path);
        var archive = results[1];
        var target = log.Messages.First(m => m.Seq > archive.FirstSeq && m.Seq < archive.LastSeq).Seq;
        ZipFiles.Replace(archive.Path!, ArchiveFormat.Records, segment => SegmentFiles.Rewrite(segment, records => records.Where(r => SegmentFiles.SeqOf(r) != target)));

        var report = new LogVerifier().VerifyArchive(archive.Path!);

        Reports.Single(report, FindingCodes.ChainGap, target);
        Reports.Single(report, FindingCodes.ProofOrphan, target);
    }

    private static async Task<(BuiltLog Log, List<ArchiveResult> Results)> ArchivedAsync(string directory)
    {
        var log = await TestLogs.BuildAsync(Path.Combine(directory, "log"));
        var results = TestLogs.ArchiveAll(log.Directory, Path.Combine(directory, "archive"));
        Assert.True(results.Count >= 4, "the test wants at least four archives");
        return (log, results);
    }
}
