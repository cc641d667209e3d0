using BenchmarkDotNet.Attributes;
using Broker.MessageLog.Records;
using Broker.MessageLog.Writing;

namespace Broker.Benchmarks.MessageLog;

/// <summary>
/// Durable appends to the hash-chained message log on the real disk: <see cref="InFlight"/> appenders each await
/// <see cref="MessageLogWriter.AppendAsync(in MessageEntry)"/> and append again until 20,000 records are durable (one
/// invocation), so the reported time is per record and records/s = 1e9 / ns. Every record is a signed request (head
/// ~300 B, signature document ~3 KB, body 1 KiB) stored as signed, encrypted at rest, or without its body (metadata
/// mode). The writer and its directory live for the whole case, so segments rotate (256 MiB) as in production.
/// </summary>
[MemoryDiagnoser]
public class MessageLogAppendBenchmarks : IDisposable
{
    public const int Records = 20_000;
    private BenchmarkLogDirectory _log = null!;
    private MessageEntry[] _entries = [];
    private int _remaining;

    [Params(16, 64, 256)]
    public int InFlight { get; set; }

    [Params(BodyStorage.Plain, BodyStorage.Encrypted, BodyStorage.Omitted)]
    public BodyStorage Body { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        using var pki = new BenchmarkPki();
        _entries = SampleLogEntries.Sign(pki, 1024, BenchmarkLogDirectory.ModeFor(Body));
        _log = new BenchmarkLogDirectory(Body);
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public Task Append()
    {
        _remaining = Records;
        var appenders = new Task[InFlight];
        for (var i = 0; i < appenders.Length; i++)
        {
            appenders[i] = AppendUntilDoneAsync(i * (_entries.Length / InFlight));
        }

        return Task.WhenAll(appenders);
    }

    private async Task AppendUntilDoneAsync(int next)
    {
        var writer = _log.Writer;
        while (Interlocked.Decrement(ref _remaining) >= 0)
        {
            await writer.AppendAsync(_entries[next++ % _entries.Length]).ConfigureAwait(false);
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _log?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        GC.SuppressFinalize(this);
    }
}
