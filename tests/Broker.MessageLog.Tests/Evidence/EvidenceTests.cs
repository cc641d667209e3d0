using System.Text.Json;
using Broker.MessageLog.Evidence;
using Broker.MessageLog.Reading;
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
    public async Task Find_MessageNotStampedYet_GoesInWithoutStamp_IsMarked_AndIsNoEvidence()
    {
        using var dir = new TempDirectory();
        var log = await TestLogs.BuildAsync(Path.Combine(dir.Path, "log"), new LogSpec { Exchanges = 3, StampEvery = 4, StampTail = false });
        var id = log.Messages[^1].MessageId;

        var evidence = EvidenceFinder.Find(log.Directory, id, cancellationToken: TestContext.Current.CancellationToken);
        var path = Write(dir.Path, evidence);
        var report = new LogVerifier().VerifyEvidence(path);

        // nothing proves when an unstamped record was signed: in a container that is an error, not the live log's warning
        Assert.All(evidence.Items, i => Assert.Null(i.Stamp));
        Assert.Equal([log.Messages[^2].Seq, log.Messages[^1].Seq], report.Findings.Where(f => f.Code == FindingCodes.Unstamped && f.Severity == FindingSeverity.Error).Select(f => f.Seq!.Value));
        Assert.Equal(2, report.Errors);
        Assert.Equal(2, report.SignaturesVerified); // valid now
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

    [Fact]
    public async Task Find_IdReusedByAnotherPartyLaterInTheLog_DoesNotHideTheCallersRecords()
    {
        using var dir = new TempDirectory();
        const string other = "MN/GOV/C/other";
        var log = await TestLogs.BuildAsync(Path.Combine(dir.Path, "log"), new LogSpec
        {
            // exchange 10 (newer, in a later segment) reuses the id of exchange 2, as another client
            Alter = d => d.Index != 10 ? d : d with
            {
                MessageId = "msg-0002",
                Client = other,
                Head = TestLogs.Message(d.Kind, "msg-0002", 10, client: other).Head,
            },
        });
        var logged = log.Messages.Where(m => m.MessageId == "msg-0002").Select(m => m.Seq).ToList();
        var (mine, theirs) = (logged[..2], logged[2..]);
        Assert.NotEqual(SegmentFiles.Locate(log.Directory, mine[^1]).Path, SegmentFiles.Locate(log.Directory, theirs[0]).Path);

        var evidence = EvidenceFinder.Find(log.Directory, "msg-0002", include: r => r.Client == TestPki.Client.ToString(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(mine, evidence.Items.Select(i => i.Record.Seq));
        Reports.Clean(new LogVerifier().VerifyEvidence(Write(dir.Path, evidence)));
    }

    [Theory]
    [InlineData("changed", "do not hash to the root time-stamped in record")]
    [InlineData("removed", "message records in")]
    public async Task Find_BatchNoLongerAsTimeStamped_Throws_RatherThanGiveAProofThatCannotVerify(string damage, string expected)
    {
        using var dir = new TempDirectory();
        var log = await TestLogs.BuildAsync(Path.Combine(dir.Path, "log"));
        var target = log.Messages[6];
        var neighbour = log.Messages[5].Seq; // the same batch of five
        if (damage == "changed")
        {
            SegmentFiles.Modify(log.Directory, neighbour, SegmentFiles.WithBodyByteFlipped);
        }
        else
        {
            SegmentFiles.Remove(log.Directory, neighbour);
        }

        var e = Assert.Throws<LogDamagedException>(() => EvidenceFinder.Find(log.Directory, target.MessageId, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains($"The evidence of message {target.MessageId} cannot be made", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Find_UndecodableRecordWhereItSearches_IsNotSkipped()
    {
        using var dir = new TempDirectory();
        var log = await TestLogs.BuildAsync(Path.Combine(dir.Path, "log"));
        var damaged = log.Messages[^2].Seq; // newer than the message: the search reads it
        SegmentFiles.Modify(log.Directory, damaged, encoded => [.. encoded.Take(40), .. new byte[encoded.Length - 40]]);
        var (_, records, index) = SegmentFiles.Locate(log.Directory, damaged);
        Assert.False(LogRecordCodec.TryDecode(records[index], out _, out _));

        var e = Assert.Throws<LogDamagedException>(() => EvidenceFinder.Find(log.Directory, log.Messages[1].MessageId, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("does not decode", e.Message, StringComparison.Ordinal);
    }

    private static string Write(string directory, EvidenceSet evidence, BodyCipher? key = null)
    {
        var path = Path.Combine(directory, $"evidence-{Guid.NewGuid():N}.zip");
        using var file = File.Create(path);
        EvidenceWriter.Write(file, evidence, new EvidenceOptions { ServerId = "MN/GOV/A/ss1", Trust = TestPki.Trust, BodyKey = key });
        return path;
    }
}
