using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Broker.Cryptography.Envelopes;
using Broker.Cryptography.Xml;
using Broker.MessageLog.Proofs;
using Broker.MessageLog.Records;

namespace Broker.Benchmarks.MessageLog;

/// <summary>
/// What an auditor pays per message record (each call takes the next of 8,192 records of one time-stamped batch):
/// decoding it and recomputing its hash (<see cref="LogRecordCodec.TryDecode"/>, SHA-256 over ~4.7 KB) with the link
/// to the previous record; its proof to the batch root (leaf hash and 13 node hashes); its signature document with
/// <see cref="SignatureVerifier"/>, as the first record of its signed batch (the ECDSA verification is paid) or as
/// another record of a batch already verified; and all of it together with the head and body digests (the work of
/// <c>MessageChecker</c>, without its identifier cross-checks). The signer's certificate and chain verdict are cached,
/// as they are after the first record of a log.
/// </summary>
[MemoryDiagnoser]
public class MessageLogVerificationBenchmarks : IDisposable
{
    private const int Records = 8192;
    private BenchmarkPki _pki = null!;
    private SignatureVerifier _verifier = null!;
    private SampleLogChain _firsts = null!;
    private SampleLogChain _others = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _pki = new BenchmarkPki();
        _verifier = new SignatureVerifier(_pki.Validator);
        var writer = new SignatureDocumentWriter(_pki.Key);
        _firsts = SampleLogChain.Create(writer, Records, batchPerRecord: true);
        _others = SampleLogChain.Create(writer, Records, batchPerRecord: false);

        // the batches of _others are verified once (their first records), as a verifier walking the log has done
        foreach (var first in _others.BatchFirsts)
        {
            Require(_verifier.Verify(first, BenchmarkPki.Member).IsValid, "a batch's first signature");
        }

        for (var i = 0; i < 2; i++)
        {
            Require(VerifyRecord(_firsts, i) && VerifyRecord(_others, i), "a whole record");
        }

        _next = 2;
    }

    [Benchmark(Baseline = true)]
    public bool RecomputeHash()
    {
        var i = Next();
        return LogRecordCodec.TryDecode(_others.Encoded[i], out var record, out _)
            && record.PreviousHash.AsSpan().SequenceEqual(_others.PreviousHashOf(i));
    }

    [Benchmark]
    public bool CheckProof()
    {
        var i = Next();
        return BatchProofs.Verifies(_others.Proofs[i], _others.Hashes[i], _others.Root);
    }

    [Benchmark]
    public SignatureCheck VerifySignatureFirstOfBatch() => _verifier.Verify(_firsts.Signatures[Next()], BenchmarkPki.Member);

    [Benchmark]
    public SignatureCheck VerifySignatureOtherOfBatch() => _verifier.Verify(_others.Signatures[Next()], BenchmarkPki.Member);

    [Benchmark]
    public bool VerifyRecordFirstOfBatch() => VerifyRecord(_firsts, Next());

    [Benchmark]
    public bool VerifyRecordOtherOfBatch() => VerifyRecord(_others, Next());

    [GlobalCleanup]
    public void Dispose()
    {
        _pki?.Dispose();
        GC.SuppressFinalize(this);
    }

    private int Next() => _next++ % Records;

    private bool VerifyRecord(SampleLogChain chain, int i)
    {
        if (!LogRecordCodec.TryDecode(chain.Encoded[i], out var record, out _)
            || !record.PreviousHash.AsSpan().SequenceEqual(chain.PreviousHashOf(i))
            || !BatchProofs.Verifies(chain.Proofs[i], record.Hash, chain.Root))
        {
            return false;
        }

        var check = _verifier.Verify(record.Signature, BenchmarkPki.Member);
        return check.IsValid
            && Matches(check.Document!.GetPartDigest(EnvelopeSigner.HeadPart), record.Head.Span)
            && Matches(check.Document.GetPartDigest(EnvelopeSigner.BodyPart), record.Body.Span);
    }

    private static bool Matches(byte[]? signedDigest, ReadOnlySpan<byte> part)
    {
        Span<byte> digest = stackalloc byte[SHA512.HashSizeInBytes];
        SHA512.HashData(part, digest);
        return signedDigest is not null && CryptographicOperations.FixedTimeEquals(signedDigest, digest);
    }

    private static void Require(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"Setup: {what} does not verify.");
        }
    }
}
