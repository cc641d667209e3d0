using BenchmarkDotNet.Attributes;
using Broker.Central.Timestamping;
using Broker.Cryptography.Signing;
using Broker.MessageLog.Archives;
using Broker.MessageLog.Records;
using Broker.MessageLog.Segments;
using Broker.MessageLog.Trust;
using Broker.MessageLog.Writing;

namespace Broker.Benchmarks.MessageLog;

/// <summary>
/// What archiving costs per record: <see cref="ArchiveWriter.Write"/> of one closed 32 MiB segment (about 9,700 signed
/// requests with their bodies, 3.4 KB each, as a security server logs them) whose records a batch time-stamp covers
/// from the next segment, with the log's trust anchors: read, chain-checked, compressed and hashed into the ZIP, the
/// stamp found in the next segment, a proof built and written per record, flushed and renamed. The time is per record
/// of the segment; a 256 MiB production segment holds eight times as many.
/// </summary>
[MemoryDiagnoser]
public class MessageLogArchiveBenchmarks : IDisposable
{
    private const long SegmentBytes = 32L << 20;
    private const int Records = 12_000;
    private BenchmarkPki _pki = null!;
    private SoftwareSigningKey _tsaKey = null!;
    private BenchmarkLogDirectory _log = null!;
    private string _segment = "";
    private TrustAnchors _trust = null!;
    private int _recordsInSegment;
    private int _round;

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [Benchmark]
    public ArchiveResult ArchiveSegment()
    {
        var directory = Path.Combine(_log.Root, "archive-" + _round++);
        var result = ArchiveWriter.Write(new ArchiveInput { SegmentPath = _segment, ArchiveDirectory = directory, ServerId = "MN/GOV/BENCH/ss1", Trust = _trust });
        if (result.Status != ArchiveStatus.Written)
        {
            throw new InvalidOperationException("The segment was not archived: " + result.Message);
        }

        Directory.Delete(directory, recursive: true);
        return result;
    }

    [GlobalCleanup]
    public void Dispose()
    {
        Console.WriteLine($"// {_recordsInSegment} records in the archived segment");
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
        _log = new BenchmarkLogDirectory(BodyStorage.Plain, SegmentBytes);
        await _log.AppendStampedAsync(SampleLogEntries.Sign(_pki, Records, LogMode.Full), tsa);

        _trust = new TrustAnchors([_pki.Authority.Certificate], [tsa.Certificate], "the benchmark PKI");
        var segments = LogSegment.List(_log.LogPath);
        if (segments.Count < 2)
        {
            throw new InvalidOperationException("Setup: the log did not rotate; no closed segment to archive.");
        }

        _segment = segments[0];
        _recordsInSegment = (int)(LogSegment.FirstSeq(segments[1]) - 1);
    }
}
