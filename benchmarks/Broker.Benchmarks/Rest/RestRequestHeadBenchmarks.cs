using BenchmarkDotNet.Attributes;
using Broker.Protocol.Rest;

namespace Broker.Benchmarks.Rest;

/// <summary>
/// The signed form of a small GET head: serialised by the client proxy for every request, parsed back by the
/// service proxy of the provider.
/// </summary>
[MemoryDiagnoser]
public class RestRequestHeadBenchmarks
{
    private readonly RestRequestHead _head = SampleMessages.Get();
    private readonly byte[] _serialized = SampleMessages.Get().Serialize();

    [Benchmark]
    public byte[] Serialize() => _head.Serialize();

    [Benchmark]
    public RestRequestHead? TryParse() => RestRequestHead.TryParse(_serialized, out var head) ? head : null;
}
