using BenchmarkDotNet.Attributes;
using Broker.MessageLog.Records;

namespace Broker.Benchmarks.MessageLog;

/// <summary>
/// One appender, one record in flight: each append waits for its own write and <c>fdatasync</c>, so this is the
/// latency a lone exchange pays for its log record (and the throughput of a log with nothing to group). Kept apart
/// from <see cref="MessageLogAppendBenchmarks"/> because 20,000 appends one after another would take most of a minute.
/// </summary>
[MemoryDiagnoser]
public class MessageLogSingleAppenderBenchmarks : IDisposable
{
    private BenchmarkLogDirectory _log = null!;
    private MessageEntry[] _entries = [];
    private int _next;

    [Params(BodyStorage.Plain, BodyStorage.Encrypted, BodyStorage.Omitted)]
    public BodyStorage Body { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        using var pki = new BenchmarkPki();
        _entries = SampleLogEntries.Sign(pki, 1024, BenchmarkLogDirectory.ModeFor(Body));
        _log = new BenchmarkLogDirectory(Body);
    }

    [Benchmark]
    public Task<LogPosition> Append() => _log.Writer.AppendAsync(_entries[_next++ % _entries.Length]);

    [GlobalCleanup]
    public void Dispose()
    {
        _log?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        GC.SuppressFinalize(this);
    }
}
