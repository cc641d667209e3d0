using BenchmarkDotNet.Attributes;
using Broker.Central.Timestamping;
using Broker.Cryptography.Signing;
using Broker.MessageLog.Records;
using Broker.MessageLog.Trust;
using Broker.MessageLog.Verification;
using Broker.MessageLog.Writing;

namespace Broker.Benchmarks.MessageLog;

/// <summary>
/// What <c>broker audit verify</c> pays per record of a live log directory: <see cref="LogVerifier.VerifyLog"/> over
/// 8,192 signed requests (batch-signed in waves of 16, bodies stored as signed) written by
/// <see cref="MessageLogWriter"/> and time-stamped by <see cref="BatchTimestamper"/> with one real RFC 3161 token
/// (the default batch of 8,192), with the log's <c>trust/</c> folder. Reading the segment (from the page cache),
/// the chain, the token, the root over the batch, every signature (one ECDSA verification per signed batch), head and
/// body digests and the identifier cross-checks; the reported time is per message record.
/// </summary>
[MemoryDiagnoser]
public class MessageLogAuditBenchmarks : IDisposable
{
    private const int Records = 8192;
    private readonly LogVerifier _verifier = new();
    private BenchmarkPki _pki = null!;
    private SoftwareSigningKey _tsaKey = null!;
    private BenchmarkLogDirectory _log = null!;

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [Benchmark(OperationsPerInvoke = Records)]
    public VerificationReport VerifyLog() => _verifier.VerifyLog(_log.LogPath);

    [GlobalCleanup]
    public void Dispose()
    {
        _log?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _tsaKey?.Dispose();
        _pki?.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task SetupAsync()
    {
        _pki = new BenchmarkPki();
        _tsaKey = new SoftwareSigningKey(_pki.Authority.IssueTimestamping("Benchmark TSA"), []);
        var tsa = new TimestampAuthority(_tsaKey, TimeProvider.System);
        var entries = SampleLogEntries.Sign(_pki, Records, LogMode.Full);
        _log = new BenchmarkLogDirectory(BodyStorage.Plain);
        await _log.AppendStampedAsync(entries, tsa);

        new TrustAnchors([_pki.Authority.Certificate], [tsa.Certificate], "the benchmark PKI").WriteDirectory(Path.Combine(_log.LogPath, TrustAnchors.FolderName));
        var report = _verifier.VerifyLog(_log.LogPath);
        if (!report.IsValid || report.Messages != Records || report.Stamps != 1 || report.SignaturesVerified != Records || report.BodiesChecked != Records)
        {
            throw new InvalidOperationException($"Setup: the log does not verify cleanly: {report.Messages} messages, {report.Stamps} stamps, {report.SignaturesVerified} signatures, {report.BodiesChecked} bodies; "
                + string.Join("; ", report.Findings.Take(5)));
        }
    }
}
