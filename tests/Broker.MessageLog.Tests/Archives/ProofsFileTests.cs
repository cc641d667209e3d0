using Broker.MessageLog.Proofs;

namespace Broker.MessageLog.Tests.Archives;

/// <summary><c>proofs.bin</c>: what is written reads back, and bytes that are not a proofs file are refused with the reason.</summary>
public sealed class ProofsFileTests
{
    private static readonly RecordProof[] Proofs =
    [
        new(7, 12, 0, 3, [Hash(1), Hash(2)]),
        new(8, 12, 1, 3, [Hash(3), Hash(2)]),
        new(9, 12, 2, 3, [Hash(4)]),
        new(13, 14, 0, 1, []),
    ];

    [Fact]
    public void Write_ThenRead_GivesTheSameProofs()
    {
        var read = ProofsFile.Read(new MemoryStream(Bytes(Proofs)), out var error);

        Assert.Null(error);
        Assert.Equal(Proofs.Select(p => p.Seq), read!.Keys.Order());
        foreach (var proof in Proofs)
        {
            var back = read[proof.Seq];
            Assert.Equal((proof.StampSeq, proof.Index, proof.LeafCount), (back.StampSeq, back.Index, back.LeafCount));
            Assert.Equal(proof.Path.Select(Convert.ToHexString), back.Path.Select(Convert.ToHexString));
        }
    }

    [Fact]
    public void Read_NoProofs_IsEmpty() => Assert.Empty(ProofsFile.Read(new MemoryStream(Bytes([])), out _)!);

    [Theory]
    [InlineData(1, "ends inside the proof of record 9")] // inside the last path hash of record 9 (13's proof has no path)
    [InlineData(22, "ends inside the proof after 3 proofs")]
    public void Read_CutShort_SaysWhere(int cut, string expected)
    {
        var bytes = Bytes(Proofs);
        bytes = cut == 22 ? bytes[..^22] : bytes[..^(25 + cut)];

        Assert.Null(ProofsFile.Read(new MemoryStream(bytes), out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OtherBytes_AreNotAProofsFile()
    {
        Assert.Null(ProofsFile.Read(new MemoryStream("{\"proofs\":[]}"u8.ToArray()), out var error));
        Assert.StartsWith("it does not start with BRKPRF01", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_APathLongerThanAnyTree_IsRefused()
    {
        var bytes = Bytes([Proofs[3]]);
        bytes[ProofsFile.Header.Length + 24] = 33;

        Assert.Null(ProofsFile.Read(new MemoryStream(bytes), out var error));
        Assert.Contains("path of 33 hashes", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TwoProofsForOneRecord_IsRefused()
    {
        Assert.Null(ProofsFile.Read(new MemoryStream(Bytes([Proofs[0], Proofs[0]])), out var error));
        Assert.Contains("two proofs for record 7", error, StringComparison.Ordinal);
    }

    private static byte[] Bytes(IEnumerable<RecordProof> proofs)
    {
        var stream = new MemoryStream();
        ProofsFile.Write(stream, proofs);
        return stream.ToArray();
    }

    private static byte[] Hash(byte fill) => Enumerable.Repeat(fill, 32).ToArray();
}
