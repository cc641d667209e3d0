using BenchmarkDotNet.Attributes;
using Broker.Cryptography.Envelopes;
using Broker.Cryptography.Xml;
using Broker.Protocol.Envelopes;

namespace Broker.Benchmarks.Envelopes;

/// <summary>
/// Parsing the envelope framing of a signed request (a small GET, a POST with a 1 KiB and a 64 KiB body):
/// the whole envelope, as a security server does, and only the head frame, as the router does to route.
/// </summary>
[MemoryDiagnoser]
public class EnvelopeFramingBenchmarks
{
    private byte[] _bytes = [];

    [Params(0, SampleMessages.KiB, 64 * SampleMessages.KiB)]
    public int BodyBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // a real signature document, so the frames have their real sizes
        using var pki = new BenchmarkPki();
        using var signer = new EnvelopeSigner(new SignatureDocumentWriter(pki.Key), TimeProvider.System);
        _bytes = signer.Sign(EnvelopeKind.Request, SampleMessages.For(BodyBytes).Serialize(), SampleMessages.Body(BodyBytes)).Bytes;
    }

    [Benchmark(Baseline = true)]
    public int TryReadHead() => Envelope.TryReadHead(_bytes, out _, out var head) ? head.Length : -1;

    [Benchmark]
    public int TryParse() => Envelope.TryParse(_bytes, out var envelope) ? envelope.Value.Body.Length : -1;
}
