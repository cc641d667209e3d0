using System.Diagnostics;
using Broker.Auditor.Verify;
using Broker.MessageLog.Tests.Fixtures;
using Broker.Testing;

namespace Broker.MessageLog.Tests.Auditor;

/// <summary><c>broker audit verify</c> as an operator runs it: the built binary, its output and exit code.</summary>
public sealed class AuditCommandTests
{
    [Fact]
    public async Task BrokerAuditVerify_UntouchedArchives_Exit0_TamperedLog_Exit1_NamingTheRecord()
    {
        using var dir = new TempDirectory();
        var log = await TestLogs.BuildAsync(Path.Combine(dir.Path, "log"));
        TestLogs.ArchiveAll(log.Directory, Path.Combine(dir.Path, "archive"));

        var (ca, tsa) = AuditTrustTests.WriteTrustFiles(dir.Path);

        var (good, goodOutput) = await RunAsync("audit", "verify", Path.Combine(dir.Path, "archive"), "--ca", ca, "--tsa", tsa);
        Assert.True(good == 0, goodOutput);
        Assert.Contains("VERIFIED: no errors.", goodOutput, StringComparison.Ordinal);
        Assert.Contains("directory of archives", goodOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("WARNING", goodOutput, StringComparison.Ordinal);

        var (noTrust, noTrustOutput) = await RunAsync("audit", "verify", Path.Combine(dir.Path, "archive"));
        Assert.True(noTrust == 2, noTrustOutput);
        Assert.Contains("--trust-embedded", noTrustOutput, StringComparison.Ordinal);
        var (embedded, embeddedOutput) = await RunAsync("audit", "verify", Path.Combine(dir.Path, "archive"), "--trust-embedded");
        Assert.True(embedded == 0, embeddedOutput);
        Assert.Contains("trust taken from the input itself: this proves integrity, not origin", embeddedOutput, StringComparison.Ordinal);

        var target = log.Messages[11].Seq;
        SegmentFiles.Modify(log.Directory, target, SegmentFiles.WithBodyByteFlipped);
        var (bad, badOutput) = await RunAsync("audit", "verify", log.Directory, "--ca", ca, "--tsa", tsa);
        Assert.True(bad == 1, badOutput);
        Assert.Contains($"ERROR record.body record {target} [", badOutput, StringComparison.Ordinal);
        Assert.Contains("NOT VERIFIED:", badOutput, StringComparison.Ordinal);

        var (missing, _) = await RunAsync("audit", "verify", Path.Combine(dir.Path, "nothing-here"), "--ca", ca, "--tsa", tsa);
        Assert.Equal(2, missing);
        var (usage, _) = await RunAsync("audit", "verify", log.Directory, "--trust-embedded", "--no-such-option");
        Assert.Equal(2, usage);
    }

    [Fact]
    public async Task AuditVerifier_ExplicitTrustFiles_AreUsed_AndUnreadableOnesAreUsageErrors()
    {
        using var dir = new TempDirectory();
        var log = await TestLogs.BuildAsync(Path.Combine(dir.Path, "log"), new LogSpec { Exchanges = 2 });
        var (ca, tsa) = AuditTrustTests.WriteTrustFiles(dir.Path);
        Directory.Delete(log.TrustDirectory, recursive: true);

        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(AuditExitCodes.NotVerified, AuditVerifier.Run(new AuditVerifyRequest(log.Directory, [], [], [], TrustEmbedded: true), output, error));
        Assert.Contains("trust.missing", output.ToString(), StringComparison.Ordinal);

        using var explicitOutput = new StringWriter();
        Assert.Equal(AuditExitCodes.Verified, AuditVerifier.Run(new AuditVerifyRequest(log.Directory, [], [ca], [tsa]), explicitOutput, error));
        Assert.Contains($"CAs given with --ca {ca}; TSAs given with --tsa {tsa}", explicitOutput.ToString(), StringComparison.Ordinal);

        Assert.Equal(AuditExitCodes.UsageError, AuditVerifier.Run(new AuditVerifyRequest(log.Directory, [Path.Combine(dir.Path, "no.key")], [], []), output, error));
        Assert.Contains("cannot read the key file", error.ToString(), StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var broker = Path.Combine(TestNetwork.RepositoryRoot, "src", "Broker.Cli", "bin", "Release", "net10.0", "broker.dll");
        Assert.True(File.Exists(broker), $"{broker} is missing: build the solution (Release) before the tests");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(broker);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output + await error);
    }
}
