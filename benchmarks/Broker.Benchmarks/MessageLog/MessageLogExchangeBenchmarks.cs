using BenchmarkDotNet.Attributes;
using Broker.MessageLog.Records;
using Broker.MessageLog.Writing;

namespace Broker.Benchmarks.MessageLog;

/// <summary>
/// One side of an exchange's logging, as a security server does it, on the real disk: <see cref="InFlight"/> exchanges
/// each log a request, yield (the trip to the provider and back, as short as it gets) and log the response, until 10,000
/// exchanges (20,000 records) are durable (one invocation), so the reported time is per exchange. <see cref="RequestRides"/> true: the request is added with
/// <see cref="MessageLogWriter.AppendWithNext"/> and rides with the response's group commit (what the proxies do);
/// false: the request gets a durable append of its own, awaited after the response's (what they did before).
/// </summary>
[MemoryDiagnoser]
public class MessageLogExchangeBenchmarks : IDisposable
{
    public const int Exchanges = 10_000;
    private BenchmarkLogDirectory _log = null!;
    private MessageEntry[] _entries = [];
    private int _remaining;

    [Params(16, 64)]
    public int InFlight { get; set; }

    [Params(true, false)]
    public bool RequestRides { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        using var pki = new BenchmarkPki();
        _entries = SampleLogEntries.Sign(pki, 1024, LogMode.Full);
        _log = new BenchmarkLogDirectory(BodyStorage.Plain);
    }

    [Benchmark(OperationsPerInvoke = Exchanges)]
    public Task LogExchange()
    {
        _remaining = Exchanges;
        var exchanges = new Task[InFlight];
        for (var i = 0; i < exchanges.Length; i++)
        {
            exchanges[i] = ExchangeUntilDoneAsync(i * (_entries.Length / InFlight));
        }

        return Task.WhenAll(exchanges);
    }

    private async Task ExchangeUntilDoneAsync(int next)
    {
        var writer = _log.Writer;
        while (Interlocked.Decrement(ref _remaining) >= 0)
        {
            var request = _entries[next++ % _entries.Length];
            var response = _entries[next++ % _entries.Length];
            if (RequestRides)
            {
                var ticket = writer.AppendWithNext(request);
                await Task.Yield();
                await writer.AppendAsync(response).ConfigureAwait(false);
                await ticket.WhenDurableAsync().ConfigureAwait(false);
            }
            else
            {
                var requestDurable = writer.AppendAsync(request);
                await Task.Yield();
                await writer.AppendAsync(response).ConfigureAwait(false);
                await requestDurable.ConfigureAwait(false);
            }
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _log?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        GC.SuppressFinalize(this);
    }
}
