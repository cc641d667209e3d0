using BenchmarkDotNet.Attributes;
using Broker.Protocol.Rest;

namespace Broker.Benchmarks.Rest;

/// <summary>
/// The X-Road request hash (SHA-512 of the head, of the body, and of both digests) of a small GET head without a
/// body and of a POST with a 1 KiB and a 64 KiB body: from the serialised head, and with the head serialised too.
/// </summary>
[MemoryDiagnoser]
public class RequestHashBenchmarks
{
    private RestRequestHead _head = null!;
    private byte[] _serializedHead = [];
    private byte[] _body = [];

    [Params(0, SampleMessages.KiB, 64 * SampleMessages.KiB)]
    public int BodyBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _head = SampleMessages.For(BodyBytes);
        _serializedHead = _head.Serialize();
        _body = SampleMessages.Body(BodyBytes);
    }

    [Benchmark(Baseline = true)]
    public string Hash() => RequestHash.Compute(_serializedHead, _body);

    [Benchmark]
    public string SerializeAndHash() => RequestHash.Compute(_head.Serialize(), _body);
}
