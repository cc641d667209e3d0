using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Broker.Cryptography.Hashing;
using Broker.MessageLog.Proofs;

namespace Broker.Benchmarks.MessageLog;

/// <summary>
/// The batch time-stamp's hash tree, per record, for a batch of 1,000 and of 8,192 record hashes: the root alone
/// (what <c>BatchTimestamper</c> sends to the TSA), the root and every record's path (<see cref="MerkleTree.Build"/>,
/// what an archive's proofs need), and <see cref="BatchProofs.Build"/> (leaf hashes, tree, proof objects). Each
/// invocation does the whole batch; the reported time and allocation are divided by its size. The leaf hash alone is
/// what the time-stamper adds to the writer loop for each committed record.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class MessageLogProofBenchmarks
{
    private const int Small = 1000;
    private const int Large = 8192;
    private byte[][] _recordHashes = [];
    private byte[][] _leaves = [];
    private (long Seq, byte[] Hash)[] _batch = [];

    [GlobalSetup]
    public void Setup()
    {
        _recordHashes = Enumerable.Range(0, Large).Select(i => SHA256.HashData(BitConverter.GetBytes(i))).ToArray();
        _leaves = _recordHashes.Select(h => MerkleTree.LeafHash(h)).ToArray();
        _batch = _recordHashes.Select((h, i) => ((long)i + 1, h)).ToArray();
    }

    [Benchmark]
    [BenchmarkCategory("leaf")]
    public byte[] LeafHash() => MerkleTree.LeafHash(_recordHashes[0]);

    [Benchmark(Baseline = true, OperationsPerInvoke = Small)]
    [BenchmarkCategory("1000")]
    public byte[] ComputeRoot1000() => MerkleTree.ComputeRoot(new ArraySegment<byte[]>(_leaves, 0, Small));

    [Benchmark(OperationsPerInvoke = Small)]
    [BenchmarkCategory("1000")]
    public byte[] Build1000() => MerkleTree.Build(new ArraySegment<byte[]>(_leaves, 0, Small), out _);

    [Benchmark(OperationsPerInvoke = Small)]
    [BenchmarkCategory("1000")]
    public RecordProof[] BatchProofs1000() => BatchProofs.Build(Small + 1, new ArraySegment<(long, byte[])>(_batch, 0, Small), out _);

    [Benchmark(Baseline = true, OperationsPerInvoke = Large)]
    [BenchmarkCategory("8192")]
    public byte[] ComputeRoot8192() => MerkleTree.ComputeRoot(_leaves);

    [Benchmark(OperationsPerInvoke = Large)]
    [BenchmarkCategory("8192")]
    public byte[] Build8192() => MerkleTree.Build(_leaves, out _);

    [Benchmark(OperationsPerInvoke = Large)]
    [BenchmarkCategory("8192")]
    public RecordProof[] BatchProofs8192() => BatchProofs.Build(Large + 1, _batch, out _);
}
