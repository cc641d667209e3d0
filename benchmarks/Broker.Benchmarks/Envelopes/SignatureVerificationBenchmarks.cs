using BenchmarkDotNet.Attributes;
using Broker.Cryptography.Envelopes;
using Broker.Cryptography.Xml;
using Broker.Protocol.Envelopes;

namespace Broker.Benchmarks.Envelopes;

/// <summary>
/// Verifying signed requests (POST, 1 KiB body) in the steady state of a security server: the signer's certificate
/// and its chain verdict are already cached by the verifier and the validator. The baseline is the fixed-profile fast
/// path on a signature not seen before (each call takes the next of 8,192 separately signed documents, so the
/// public-key operation is always paid); "same batch" verifies a document whose batch signature this verifier has
/// already checked (what the other messages of a signed batch cost); the general <c>SignedXml</c> path (used by
/// auditors) shows what the fast path saves; the whole envelope check adds the head and body digests.
/// </summary>
[MemoryDiagnoser]
public class SignatureVerificationBenchmarks : IDisposable
{
    private BenchmarkPki _pki = null!;
    private SignatureVerifier _verifier = null!;
    private const int Distinct = 8192;
    private Envelope _envelope;
    private byte[][] _distinct = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _pki = new BenchmarkPki();
        _verifier = new SignatureVerifier(_pki.Validator);
        using var signer = new EnvelopeSigner(new SignatureDocumentWriter(_pki.Key), TimeProvider.System);
        var writer = new SignatureDocumentWriter(_pki.Key);
        _distinct = Enumerable.Range(0, Distinct)
            .Select(i => writer.Write(DateTimeOffset.UtcNow, [new SignedPart(EnvelopeSigner.HeadPart, System.Security.Cryptography.SHA512.HashData(BitConverter.GetBytes(i)))]))
            .ToArray();
        var signed = signer.Sign(EnvelopeKind.Request, SampleMessages.Post().Serialize(), SampleMessages.Body(SampleMessages.KiB));
        if (!Envelope.TryParse(signed.Bytes, out var envelope))
        {
            throw new InvalidOperationException("The signed envelope does not parse.");
        }

        _envelope = envelope.Value;

        // both paths must accept the document, and the caches are warm before the first measured call
        Require(_verifier.Verify(_envelope.Signature, BenchmarkPki.Member), "fast path");
        Require(SignedXmlVerifier.Verify(_envelope.Signature, BenchmarkPki.Member, _pki.Validator), "SignedXml");
        Require(EnvelopeVerifier.Verify(_envelope, BenchmarkPki.Member, _verifier).Signature, "envelope");
    }

    [Benchmark(Baseline = true)]
    public SignatureCheck VerifySignatureFastPath() => _verifier.Verify(_distinct[_next++ % Distinct], BenchmarkPki.Member);

    [Benchmark]
    public SignatureCheck VerifySignatureFastPathSameBatch() => _verifier.Verify(_envelope.Signature, BenchmarkPki.Member);

    [Benchmark]
    public SignatureCheck VerifySignatureSignedXml() => SignedXmlVerifier.Verify(_envelope.Signature, BenchmarkPki.Member, _pki.Validator);

    [Benchmark]
    public EnvelopeCheck VerifyEnvelope() => EnvelopeVerifier.Verify(_envelope, BenchmarkPki.Member, _verifier);

    [GlobalCleanup]
    public void Dispose()
    {
        _pki?.Dispose();
        GC.SuppressFinalize(this);
    }

    private static void Require(SignatureCheck check, string path)
    {
        if (!check.IsValid)
        {
            throw new InvalidOperationException($"The {path} verification failed at setup: {check.Failure} {check.Error}");
        }
    }
}
