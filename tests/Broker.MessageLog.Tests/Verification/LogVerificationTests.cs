using Broker.MessageLog.Records;
using Broker.MessageLog.Tests.Fixtures;
using Broker.MessageLog.Verification;
using Broker.Protocol.Envelopes;
using Broker.Testing;

namespace Broker.MessageLog.Tests.Verification;

/// <summary>
/// <see cref="LogVerifier.VerifyLog"/> on real logs (signed by real keys, stamped by a real TSA), untouched and
/// tampered with: each problem is named with its record.
/// </summary>
public sealed class LogVerificationTests
{
    [Fact]
    public async Task VerifyLog_UntouchedLog_VerifiesEverything()
    {
        using var dir = new TempDirectory();
        var log = await TestLogs.BuildAsync(dir.Path);

        var report = new LogVerifier().VerifyLog(dir.Path);

        Reports.Clean(report);
        Assert.Equal(log.LastSeq, report.Records);
        Assert.Equal(24, report.Messages);
        Assert.Equal(log.Stamps.Count, report.Stamps);
        Assert.Equal(24, report.SignaturesVerified);
        Assert.Equal(24, report.BodiesChecked);
        Assert.True(report.Segments > 3, "the test wants several segments");
        Assert.Contains("trust/", report.Trust, StringComparison.Ordinal);
        Assert.True(report.TrustFromInput); // the library's default, and the report says so
        Assert.Contains("taken from the input itself", report.TrustSource, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyLog_UnstampedTail_IsAWarning_NotAnError()
    {
        using var dir = new TempDirectory();
        var log = await TestLogs.BuildAsync(dir.Path, new LogSpec { Exchanges = 3, StampEvery = 4, StampTail = false });

        var report = new LogVerifier().VerifyLog(dir.Path);

        Assert.True(report.IsValid, Reports.Text(report));
        var tail = Reports.Single(report, FindingCodes.Unstamped, severity: FindingSeverity.Warning);
        Assert.Equal(log.Messages[4].Seq, tail.Seq);
        Assert.Equal(6, report.SignaturesVerified); // the tail's as of now
    }

    [Fact]
    public async Task VerifyLog_UnstampedTail_SignersAreCheckedAsOfNow_NotAsOfTheTimeTheWriterRecorded()
    {
        using var dir = new TempDirectory();
        var log = await TestLogs.BuildAsync(dir.Path, new LogSpec { Exchanges = 3, StampEvery = 4, StampTail = false });
        var later = new AdjustableTimeProvider();
        later.Advance(TimeSpan.FromDays(800)); // the signing certificates (two years) have expired by then

        var report = new LogVerifier(new VerificationOptions { Time = later }).VerifyLog(dir.Path);

        // the stamped records are checked as of their time-stamp's time; nothing proves when the tail was signed
        Assert.Equal(log.Messages.Skip(4).Select(m => (long?)m.Seq), report.Findings.Where(f => f.Code == FindingCodes.SignatureCertificate).Select(f => f.Seq));
        Assert.Contains("checked as of the verification time", Reports.Single(report, FindingCodes.SignatureCertificate, log.Messages[4].Seq).Message, StringComparison.Ordinal);
        Assert.Equal(4, report.SignaturesVerified);
        Reports.Single(report, FindingCodes.Unstamped, severity: FindingSeverity.Warning);
    }

    [Fact]
    public async Task VerifyLog_ChangedBody_NamesTheRecord_AndItsBrokenLink()
    {
        using var dir = new TempDirectory();
        var log = await TestLogs.BuildAsync(dir.Path);
        var target = log.Messages[7].Seq;

        SegmentFiles.Modify(dir.Path, target, SegmentFiles.WithBodyByteFlipped);
        var report = new LogVerifier().VerifyLog(dir.Path);

        Assert.False(report.IsValid);
        Assert.Contains("body", Reports.Single(report, FindingCodes.BodyChanged, target).Message, StringComparison.Ordinal);
        Assert.Contains($"record {target + 1} links to", Reports.Single(report, FindingCodes.ChainLink, target).Message, StringComparison.Ordinal);
        Assert.Single(report.Findings, f => f.Code == FindingCodes.StampRoot); // the batch's root no longer matches
    }

    [Fact]
    public async Task VerifyLog_RemovedRecord_IsReportedAsMissing()
    {
        using var dir = new TempDirectory();
        var log = await TestLogs.BuildAsync(dir.Path);
        var target = log.Messages[9].Seq;

        SegmentFiles.Remove(dir.Path, target);
        var report = new LogVerifier().VerifyLog(dir.Path);

        Assert.Equal($"Record {target} is missing: it was removed.", Reports.Single(report, FindingCodes.ChainGap, target).Message);
        Assert.DoesNotContain(report.Findings, f => f.Code == FindingCodes.ChainLink);
    }

    [Fact]
    public async Task VerifyLog_ReorderedRecords_AreOutOfOrder()
    {
        using var dir = new TempDirectory();
        var log = await TestLogs.BuildAsync(dir.Path);
        var target = log.Messages.Select(m => m.Seq).First(seq => seq > 5 && log.Messages.Any(m => m.Seq == seq + 1) && SameSegment(dir.Path, seq, seq + 1));

        SegmentFiles.SwapWithNext(dir.Path, target);
        var report = new LogVerifier().VerifyLog(dir.Path);

        Assert.Equal($"Record {target} is out of order: it is stored after record {target + 1}. Records were moved.", Reports.Single(report, FindingCodes.ChainOrder, target).Message);
        Assert.DoesNotContain(report.Findings, f => f.Code == FindingCodes.ChainGap);
    }

    [Fact]
    public async Task VerifyLog_AlteredToken_IsAForgedTimestamp()
    {
        using var dir = new TempDirectory();
        var log = await TestLogs.BuildAsync(dir.Path);
        var stamp = log.Stamps[^1];

        SegmentFiles.Modify(dir.Path, stamp, encoded =>
        {
            var token = SegmentFiles.Decode(encoded).Token.ToArray();
            token[^3] ^= 0x01; // inside the signature value
            return SegmentFiles.WithToken(encoded, token);
        });
        var report = new LogVerifier().VerifyLog(dir.Path);

        Assert.Contains("signature does not verify", Reports.Single(report, FindingCodes.StampToken, stamp).Message, StringComparison.Ordinal);
        Assert.Equal(1, report.Errors);
    }

    [Fact]
    public async Task VerifyLog_TokenFromAnotherTsaKey_IsNotApproved()
    {
        using var dir = new TempDirectory();
        var log = await TestLogs.BuildAsync(dir.Path);
        var stamp = log.Stamps[1];

        SegmentFiles.Modify(dir.Path, stamp, encoded => SegmentFiles.WithToken(encoded, TestPki.Stamp(SegmentFiles.Decode(encoded).Root, TestPki.OtherTsa)));
        SegmentFiles.Rechain(dir.Path, stamp + 1);
        var report = new LogVerifier().VerifyLog(dir.Path);

        Assert.Contains("not signed by an approved TSA", Reports.Single(report, FindingCodes.StampToken, stamp).Message, StringComparison.Ordinal);
        Assert.DoesNotContain(report.Findings, f => f.Code == FindingCodes.ChainLink);
    }

    [Fact]
    public async Task VerifyLog_RecordResignedWithAnotherMembersKey_AndChainRehashed_IsAWrongSigner()
    {
        using var dir = new TempDirectory();
        var log = await TestLogs.BuildAsync(dir.Path);
        var target = log.Messages.First(m => m.Kind == EnvelopeKind.Request && m.Seq > 8);

        SegmentFiles.Modify(dir.Path, target.Seq, encoded =>
        {
            var record = SegmentFiles.Decode(encoded);
            return SegmentFiles.WithSignature(encoded, TestPki.Sign(TestPki.KeyB, EnvelopeKind.Request, record.Head.ToArray(), record.Body.ToArray()));
        });
        SegmentFiles.Rechain(dir.Path, target.Seq + 1);
        var report = new LogVerifier().VerifyLog(dir.Path);

        var finding = Reports.Single(report, FindingCodes.SignatureCertificate, target.Seq);
        Assert.Contains("issued to MN/GOV/B, not to MN/GOV/A", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(report.Findings, f => f.Code is FindingCodes.ChainLink or FindingCodes.ChainGap);
        Assert.Contains(report.Findings, f => f.Code == FindingCodes.StampRoot); // rehashing cannot repair the time-stamps
    }

    [Fact]
    public async Task VerifyLog_RecordSignedUnderAnUnapprovedCa_DoesNotChain()
    {
        using var dir = new TempDirectory();
        var log = await TestLogs.BuildAsync(dir.Path, new LogSpec { Exchanges = 4 });
        var target = log.Messages[2];

        SegmentFiles.Modify(dir.Path, target.Seq, encoded =>
        {
            var record = SegmentFiles.Decode(encoded);
            return SegmentFiles.WithSignature(encoded, TestPki.Sign(TestPki.RogueKeyA, EnvelopeKind.Request, record.Head.ToArray(), record.Body.ToArray()));
        });
        var report = new LogVerifier().VerifyLog(dir.Path);

        Assert.Contains("does not chain to an approved CA", Reports.Single(report, FindingCodes.SignatureCertificate, target.Seq).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyLog_MetadataMode_VerifiesHeads_AndReportsOmittedBodies()
    {
        using var dir = new TempDirectory();
        await TestLogs.BuildAsync(dir.Path, new LogSpec { Exchanges = 4, Mode = LogMode.Metadata });

        var report = new LogVerifier().VerifyLog(dir.Path);

        Assert.True(report.IsValid, Reports.Text(report));
        Assert.Equal(8, report.BodiesOmitted);
        Reports.Single(report, FindingCodes.BodyOmitted, severity: FindingSeverity.Info);
    }

    [Fact]
    public async Task VerifyLog_EncryptedBodies_AreCheckedOnlyWithTheKey()
    {
        using var dir = new TempDirectory();
        var keyFile = Path.Combine(dir.Path, "..", Path.GetFileName(dir.Path) + ".key");
        File.WriteAllText(keyFile, Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        try
        {
            var log = await TestLogs.BuildAsync(dir.Path, new LogSpec { Exchanges = 4, BodyKeyFile = keyFile });
            using var key = BodyCipher.FromFile(keyFile);

            var withoutKey = new LogVerifier().VerifyLog(dir.Path);
            Assert.True(withoutKey.IsValid, Reports.Text(withoutKey));
            Assert.Equal(8, withoutKey.BodiesNotChecked);
            Reports.Single(withoutKey, FindingCodes.BodyNotChecked, severity: FindingSeverity.Info);

            var withKey = new LogVerifier(new VerificationOptions { BodyKeys = [key] }).VerifyLog(dir.Path);
            Reports.Clean(withKey);
            Assert.Equal(8, withKey.BodiesChecked);

            var target = log.Messages[3].Seq;
            SegmentFiles.Modify(dir.Path, target, SegmentFiles.WithBodyByteFlipped);
            SegmentFiles.Rechain(dir.Path, target + 1);
            var tampered = new LogVerifier(new VerificationOptions { BodyKeys = [key] }).VerifyLog(dir.Path);
            Assert.Contains("does not decrypt", Reports.Single(tampered, FindingCodes.BodyChanged, target).Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(keyFile);
        }
    }

    [Fact]
    public async Task VerifyLog_ExplicitTrust_ReplacesTheTrustFolder()
    {
        using var dir = new TempDirectory();
        await TestLogs.BuildAsync(dir.Path, new LogSpec { Exchanges = 2 });

        var rogue = new LogVerifier(new VerificationOptions { CertificateAuthorities = [TestPki.RogueCa.Certificate], CertificateAuthoritiesSource = "given with --ca rogue.pem" }).VerifyLog(dir.Path);
        Assert.Equal(4, rogue.Findings.Count(f => f.Code == FindingCodes.SignatureCertificate));
        Assert.Contains("given with --ca rogue.pem", rogue.Trust, StringComparison.Ordinal);
        Assert.Contains($"'Rogue Root' ({Broker.Cryptography.X509.CertificateValidator.Hex(TestPki.RogueCa.Certificate)})", rogue.Trust, StringComparison.Ordinal);
        Assert.True(rogue.TrustFromInput); // the TSAs came from the trust folder
        Assert.Equal([false, true], rogue.TrustedCertificates.Select(c => c.FromInput));

        var noTsa = new LogVerifier(new VerificationOptions { TimestampAuthorities = [TestPki.OtherTsa.Certificate] }).VerifyLog(dir.Path);
        Assert.All(noTsa.Findings.Where(f => f.Severity == FindingSeverity.Error), f => Assert.Equal(FindingCodes.StampToken, f.Code));
    }

    [Fact]
    public async Task VerifyLog_WithoutTrustFolder_SaysSo()
    {
        using var dir = new TempDirectory();
        await TestLogs.BuildAsync(dir.Path, new LogSpec { Exchanges = 1 });
        Directory.Delete(Path.Combine(dir.Path, "trust"), recursive: true);

        var report = new LogVerifier().VerifyLog(dir.Path);

        Reports.Single(report, FindingCodes.TrustMissing);
    }

    private static bool SameSegment(string directory, long a, long b) =>
        SegmentFiles.Locate(directory, a).Path == SegmentFiles.Locate(directory, b).Path;
}
