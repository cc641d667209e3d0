using Broker.Protocol.Envelopes;

namespace Broker.Protocol.Tests;

public sealed class EnvelopeTests
{
    private static byte[] Build(byte[] head, byte[] body, byte[] signature)
    {
        var bytes = new byte[Envelope.GetLength(head.Length, body.Length, signature.Length)];
        Assert.Equal(bytes.Length, Envelope.Write(bytes, EnvelopeKind.Request, head, body, signature));
        return bytes;
    }

    [Fact]
    public void WriteParse_RoundTripsParts()
    {
        var bytes = Build([1, 2, 3], [4, 5], [6]);
        Assert.True(Envelope.TryParse(bytes, out var envelope));
        Assert.Equal(EnvelopeKind.Request, envelope.Value.Kind);
        Assert.Equal([1, 2, 3], envelope.Value.Head.ToArray());
        Assert.Equal([4, 5], envelope.Value.Body.ToArray());
        Assert.Equal([6], envelope.Value.Signature.ToArray());
    }

    [Fact]
    public void WriteParse_EmptyBody_HasNoBodyFrame()
    {
        var bytes = Build([1], [], [6]);
        Assert.True(Envelope.TryParse(bytes, out var envelope));
        Assert.True(envelope.Value.Body.IsEmpty);
    }

    [Fact]
    public void TryParse_AnyTruncationOrTrailingByte_IsRejected()
    {
        var bytes = Build([1, 2, 3], [4, 5], [6, 7]);
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.False(Envelope.TryParse(bytes.AsMemory(0, length), out _), $"accepted a truncation to {length} bytes");
        }

        Assert.False(Envelope.TryParse((byte[])[.. bytes, 0], out _));
    }

    [Fact]
    public void TryParse_BadMagicOrKindOrLength_IsRejected()
    {
        var bytes = Build([1], [2], [3]);
        var badMagic = (byte[])bytes.Clone();
        badMagic[0] = (byte)'X';
        var badKind = (byte[])bytes.Clone();
        badKind[4] = 9;
        var hugeLength = (byte[])bytes.Clone();
        hugeLength[6] = 0xFF;
        Assert.False(Envelope.TryParse(badMagic, out _));
        Assert.False(Envelope.TryParse(badKind, out _));
        Assert.False(Envelope.TryParse(hugeLength, out _));
    }
}
