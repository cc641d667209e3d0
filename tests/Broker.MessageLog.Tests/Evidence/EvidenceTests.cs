using System.Text.Json;
using Broker.MessageLog.Evidence;
using Broker.MessageLog.Records;
using Broker.MessageLog.Segments;
using Broker.MessageLog.Tests.Fixtures;
using Broker.MessageLog.Verification;
using Broker.Protocol.Envelopes;

namespace Broker.MessageLog.Tests.Evidence;

/// <summary>Evidence containers for one message id: found in the log, written, verified on their own.</summary>
public sealed class EvidenceTests
{
    [Fact]
    public async Task Find_ThenWrite_AContainerThatVerifiesOnItsOwn()
    {
        using var dir = new TempDirectory();
        var log = await TestLogs.BuildAsync(Path.Combine(dir.Path, "log"));
        var id = log.Messages[9].MessageId;

        var evidence = EvidenceFinder.Find(log.Directory, id, cancellationToken: TestContext.Current.CancellationToken);
        var path = Write(dir.Path, evidence);
        var report = new LogVerifier().Verify(path);

        Assert.Equal([EnvelopeKind.Request, EnvelopeKind.Response], evidence.Items.Select(i => i.Record.Kind));
        Assert.All(evidence.Items, i => Assert.NotNull(i.Proof));
        Reports.Clean(report);
        Assert.Equal(VerificationKind.Evidence, report.Kind);
        Assert.Equal(2, report.SignaturesVerified);
        Assert.Equal(2, report.BodiesChecked);
        var manifest = JsonDocument.Parse(ZipFiles.Read(path, EvidenceFormat.Manifest)).RootElement;
        Assert.Equal(EvidenceFormat.FormatId, manifest.GetProperty("format").GetString());
        Assert.Equal(id, manifest.GetProperty("messageId").GetString());
        Assert.All(manifest.GetProperty("records").EnumerateArray(), r => Assert.True(r.GetProperty("stamped").GetBoolean()));
    }

    [Fact]
    public async Task Find_MessageNotStampedYet_GoesInWithoutStamp_AndIsMarked()
    {
        using var dir = new TempDirectory();
        var log = await TestLogs.BuildAsync(Path.Combine(dir.Path, "log"), new LogSpec { Exchanges = 3, StampEvery = 4, StampTail = false });
        var id = log.Messages[^1].MessageId;

        var evidence = EvidenceFinder.Find(log.Directory, id, cancellationToken: TestContext.Current.CancellationToken);
        var path = Write(dir.Path, evidence);
        var report = new LogVerifier().VerifyEvidence(path);

        Assert.All(evidence.Items, i => Assert.Null(i.Stamp));
        Assert.True(report.IsValid, Reports.Text(report));
        Assert.Equal(2, report.Findings.Count(f => f.Code == FindingCodes.Unstamped && f.Severity == FindingSeverity.Warning));
        var records = JsonDocument.Parse(ZipFiles.Read(path, EvidenceFormat.Manifest)).RootElement.GetProperty("records");
        Assert.All(records.EnumerateArray(), r => Assert.False(r.GetProperty("stamped").GetBoolean()));
    }

    [Fact]
    public async Task Find_AfterTheSegmentWasArchivedAndRemoved_ReadsTheArchives()
    {
        using var dir = new TempDirectory();
        var log = await TestLogs.BuildAsync(Path.Combine(dir.Path, "log"));
        var archives = Path.Combine(dir.Path, "archive");
        TestLogs.ArchiveAll(log.Directory, archives);
        var segments = LogSegment.List(log.Directory);
        segments.Take(segments.Count - 1).ToList().ForEach(File.Delete);
        var id = log.Messages[1].MessageId;

        Assert.True(EvidenceFinder.Find(log.Directory, id, cancellationToken: TestContext.Current.CancellationToken).IsEmpty);
        var evidence = EvidenceFinder.Find(log.Directory, id, archives, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(2, evidence.Items.Count);
        Reports.Clean(new LogVerifier().VerifyEvidence(Write(dir.Path, evidence)));
    }

    [Fact]
    public async Task Write_EncryptedBodiesWithTheKey_CarriesThemDecrypted_AndTheyAreChecked()
    {
        using var dir = new TempDirectory();
        var keyFile = Path.Combine(dir.Path, "body.key");
        File.WriteAllText(keyFile, Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        var log = await TestLogs.BuildAsync(Path.Combine(dir.Path, "log"), new LogSpec { Exchanges = 3, BodyKeyFile = keyFile });
        using var key = BodyCipher.FromFile(keyFile);

        var path = Write(dir.Path, EvidenceFinder.Find(log.Directory, log.Messages[2].MessageId, cancellationToken: TestContext.Current.CancellationToken), key);
        var report = new LogVerifier().VerifyEvidence(path);

        Assert.Contains(ZipFiles.Entries(path), e => e.StartsWith(EvidenceFormat.BodiesFolder, StringComparison.Ordinal));
        Reports.Clean(report);
        Assert.Equal(2, report.BodiesChecked);
    }

    [Fact]
    public async Task VerifyEvidence_ChangedRecord_IsNamed()
    {
        using var dir = new TempDirectory();
        var log = await TestLogs.BuildAsync(Path.Combine(dir.Path, "log"));
        var target = log.Messages[6];
        var path = Write(dir.Path, EvidenceFinder.Find(log.Directory, target.MessageId, cancellationToken: TestContext.Current.CancellationToken));

        ZipFiles.Replace(path, EvidenceFormat.RecordEntry(target.Seq), SegmentFiles.WithBodyByteFlipped);
        var report = new LogVerifier().VerifyEvidence(path);

        Assert.Contains(report.Findings, f => f.Code == FindingCodes.ManifestDigest && f.Message.StartsWith(EvidenceFormat.RecordEntry(target.Seq), StringComparison.Ordinal));
        Reports.Single(report, FindingCodes.EvidenceMismatch, target.Seq);
    }

    [Fact]
    public async Task VerifyEvidence_ForgedProof_DoesNotLeadToTheStampedRoot()
    {
        using var dir = new TempDirectory();
        var log = await TestLogs.BuildAsync(Path.Combine(dir.Path, "log"));
        var target = log.Messages[6];
        var evidence = EvidenceFinder.Find(log.Directory, target.MessageId, cancellationToken: TestContext.Current.CancellationToken);
        var forged = evidence with
        {
            Items = [.. evidence.Items.Select(i => i.Record.Seq == target.Seq ? i with { Proof = i.Proof! with { Index = (i.Proof.Index + 1) % i.Proof.LeafCount } } : i)],
        };

        var report = new LogVerifier().VerifyEvidence(Write(dir.Path, forged));

        Assert.Contains("does not lead from the record's hash", Reports.Single(report, FindingCodes.ProofInvalid, target.Seq).Message, StringComparison.Ordinal);
    }

    private static string Write(string directory, EvidenceSet evidence, BodyCipher? key = null)
    {
        var path = Path.Combine(directory, $"evidence-{Guid.NewGuid():N}.zip");
        using var file = File.Create(path);
        EvidenceWriter.Write(file, evidence, new EvidenceOptions { ServerId = "MN/GOV/A/ss1", Trust = TestPki.Trust, BodyKey = key });
        return path;
    }
}
