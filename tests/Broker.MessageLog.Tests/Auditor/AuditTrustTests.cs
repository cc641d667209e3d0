using Broker.Auditor.Reports;
using Broker.Auditor.Verify;
using Broker.MessageLog.Evidence;
using Broker.MessageLog.Tests.Fixtures;
using Broker.MessageLog.Trust;
using Broker.Protocol.Envelopes;

namespace Broker.MessageLog.Tests.Auditor;

/// <summary>
/// Whom <c>broker audit verify</c> trusts: never the input by default. A container can carry any CA and TSA, so the
/// operator gives them (<c>--ca</c>, <c>--tsa</c>) or says explicitly that the input's own are to be used.
/// </summary>
public sealed class AuditTrustTests
{
    [Fact]
    public async Task ForgedEvidenceCarryingItsOwnCaAndTsa_NeedsATrustChoice_PassesOnlyOnItsOwnTrustWithAWarning_FailsOnTheRealOne()
    {
        using var dir = new TempDirectory();
        var forged = await TestLogs.BuildAsync(Path.Combine(dir.Path, "log"), new LogSpec
        {
            Exchanges = 3,
            Alter = d => d with { Signer = d.Kind == EnvelopeKind.Request ? TestPki.RogueKeyA : TestPki.RogueKeyB },
            Tsa = TestPki.RogueTsa,
            Trust = TestPki.RogueTrust,
        });
        var path = Path.Combine(dir.Path, "evidence.zip");
        using (var file = File.Create(path))
        {
            var evidence = EvidenceFinder.Find(forged.Directory, forged.Messages[2].MessageId, cancellationToken: TestContext.Current.CancellationToken);
            EvidenceWriter.Write(file, evidence, new EvidenceOptions { ServerId = "MN/GOV/A/ss1", Trust = TestPki.RogueTrust });
        }

        var (ca, tsa) = WriteTrustFiles(dir.Path);

        var (none, noneOutput, noneError) = Run(new AuditVerifyRequest(path, [], [], []));
        Assert.Equal(AuditExitCodes.UsageError, none);
        Assert.DoesNotContain("VERIFIED", noneOutput, StringComparison.Ordinal);
        Assert.Contains("--ca and --tsa missing", noneError, StringComparison.Ordinal);
        Assert.Contains("--trust-embedded", noneError, StringComparison.Ordinal);

        var (halfway, _, halfwayError) = Run(new AuditVerifyRequest(path, [], [ca], []));
        Assert.Equal(AuditExitCodes.UsageError, halfway);
        Assert.Contains("--tsa missing", halfwayError, StringComparison.Ordinal);

        var (embedded, embeddedOutput, _) = Run(new AuditVerifyRequest(path, [], [], [], TrustEmbedded: true));
        Assert.True(embedded == AuditExitCodes.Verified, embeddedOutput);
        Assert.StartsWith($"WARNING:    {ReportFormatter.EmbeddedTrust}.", embeddedOutput.Split('\n')[1], StringComparison.Ordinal);
        Assert.Contains($"CA  'Rogue Root' SHA-256 {Broker.Cryptography.X509.CertificateValidator.Hex(TestPki.RogueCa.Certificate)} (from the input)", embeddedOutput, StringComparison.Ordinal);
        Assert.Contains($"TSA 'Rogue TSA' SHA-256 {Broker.Cryptography.X509.CertificateValidator.Hex(TestPki.RogueTsa.Certificate)} (from the input)", embeddedOutput, StringComparison.Ordinal);
        Assert.Contains($"VERIFIED: no errors.\nWARNING: {ReportFormatter.EmbeddedTrust}", embeddedOutput.ReplaceLineEndings("\n"), StringComparison.Ordinal);

        var (real, realOutput, _) = Run(new AuditVerifyRequest(path, [], [ca], [tsa]));
        Assert.True(real == AuditExitCodes.NotVerified, realOutput);
        Assert.Contains("ERROR signature.certificate", realOutput, StringComparison.Ordinal);
        Assert.Contains("ERROR stamp.token", realOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("WARNING", realOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TsaFileWithItsIssuingCa_TrustsOnlyTheTsa_AndPrintsFullFingerprints()
    {
        using var dir = new TempDirectory();
        var log = await TestLogs.BuildAsync(Path.Combine(dir.Path, "log"), new LogSpec { Exchanges = 2 });
        var (ca, _) = WriteTrustFiles(dir.Path);
        var chain = Path.Combine(dir.Path, "central-tsa.pem"); // as certs/central-tsa.pem: the TSA, then the root that issued it
        File.WriteAllText(chain, TestPki.Tsa.Certificate.ExportCertificatePem() + "\n" + TestPki.Ca.Certificate.ExportCertificatePem() + "\n");

        var (exit, output, _) = Run(new AuditVerifyRequest(log.Directory, [], [ca], [chain]));

        Assert.True(exit == AuditExitCodes.Verified, output);
        var anchors = output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("CA ", StringComparison.Ordinal) || l.StartsWith("TSA ", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [$"CA  'Log Test Root' SHA-256 {Broker.Cryptography.X509.CertificateValidator.Hex(TestPki.Ca.Certificate)}", $"TSA 'Log Test TSA' SHA-256 {Broker.Cryptography.X509.CertificateValidator.Hex(TestPki.Tsa.Certificate)}"],
            anchors);
        Assert.Contains($"TSAs given with --tsa {chain} (not a TSA, left out: 'Log Test Root')", output, StringComparison.Ordinal);
        Assert.DoesNotContain("WARNING", output, StringComparison.Ordinal);

        var (rootOnly, _, rootOnlyError) = Run(new AuditVerifyRequest(log.Directory, [], [ca], [ca]));
        Assert.Equal(AuditExitCodes.UsageError, rootOnly);
        Assert.Contains("holds no certificate with the timeStamping extended key usage", rootOnlyError, StringComparison.Ordinal);
    }

    internal static (string Ca, string Tsa) WriteTrustFiles(string directory)
    {
        var ca = Path.Combine(directory, "root-ca.pem");
        var tsa = Path.Combine(directory, "tsa.pem");
        File.WriteAllText(ca, TestPki.Ca.Certificate.ExportCertificatePem());
        File.WriteAllText(tsa, TestPki.Tsa.Certificate.ExportCertificatePem());
        return (ca, tsa);
    }

    private static (int ExitCode, string Output, string Error) Run(AuditVerifyRequest request)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = AuditVerifier.Run(request, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
