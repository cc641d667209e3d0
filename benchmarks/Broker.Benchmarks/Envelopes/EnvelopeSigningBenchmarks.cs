using BenchmarkDotNet.Attributes;
using Broker.Cryptography.Envelopes;
using Broker.Cryptography.Xml;
using Broker.Protocol.Envelopes;

namespace Broker.Benchmarks.Envelopes;

/// <summary>
/// Signing a request into an envelope (SHA-512 per part, the signature document, one ECDSA P-256 signature, the
/// framing) for a small GET and a POST with a 1 KiB body.
/// </summary>
[MemoryDiagnoser]
public class EnvelopeSigningBenchmarks : IDisposable
{
    private BenchmarkPki _pki = null!;
    private EnvelopeSigner _signer = null!;
    private byte[] _head = [];
    private byte[] _body = [];

    [Params(0, SampleMessages.KiB)]
    public int BodyBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _pki = new BenchmarkPki();
        _signer = new EnvelopeSigner(new SignatureDocumentWriter(_pki.Key), TimeProvider.System);
        _head = SampleMessages.For(BodyBytes).Serialize();
        _body = SampleMessages.Body(BodyBytes);
    }

    [Benchmark(Baseline = true)]
    public SignedEnvelope Sign() => _signer.Sign(EnvelopeKind.Request, _head, _body);

    /// <summary>Per message, when 16 messages wait to be signed together (one signature over their hash tree).</summary>
    [Benchmark(OperationsPerInvoke = 16)]
    public Task<SignedEnvelope[]> SignBatchOf16() =>
        Task.WhenAll(Enumerable.Range(0, 16).Select(_ => _signer.SignAsync(EnvelopeKind.Request, _head, _body).AsTask()));

    [GlobalCleanup]
    public void Dispose()
    {
        _signer?.Dispose();
        _pki?.Dispose();
        GC.SuppressFinalize(this);
    }
}
