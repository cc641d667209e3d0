using System.Security.Cryptography;
using System.Text;
using Broker.Protocol.Rest;

namespace Broker.Protocol.Tests;

public sealed class RequestHashTests
{
    private static readonly byte[] s_head = Encoding.UTF8.GetBytes("GET\r\n/r1/MN/GOV/GASR/civil-registry/citizens/1\r\nx-road-client:MN/GOV/LAND/land-services\r\n");

    [Fact]
    public void Compute_WithoutBody_IsSha512OfHead()
    {
        Assert.Equal(Convert.ToBase64String(SHA512.HashData(s_head)), RequestHash.Compute(s_head, default));
    }

    [Fact]
    public void Compute_WithBody_IsSha512OfConcatenatedDigests()
    {
        var body = Encoding.UTF8.GetBytes("{\"a\":1}");
        var expected = SHA512.HashData([.. SHA512.HashData(s_head), .. SHA512.HashData(body)]);
        Assert.Equal(Convert.ToBase64String(expected), RequestHash.Compute(s_head, body));
    }

    [Fact]
    public void RequestHead_SerializeParse_RoundTripsExactBytes()
    {
        var headers = new HeaderList { { "X-Road-Client", "MN/GOV/LAND/land-services" }, { "Accept", "application/json" } };
        var bytes = new RestRequestHead("POST", "/r1/MN/GOV/GASR/civil-registry/citizens?q=1", headers).Serialize();
        Assert.Equal("POST\r\n/r1/MN/GOV/GASR/civil-registry/citizens?q=1\r\nX-Road-Client:MN/GOV/LAND/land-services\r\nAccept:application/json\r\n", Encoding.UTF8.GetString(bytes));
        Assert.True(RestRequestHead.TryParse(bytes, out var parsed));
        Assert.Equal(bytes, parsed.Serialize());
    }

    [Theory]
    [InlineData("GET\r\n/r1/x\r\nHost:evil\r\n")]        // filtered header inside the signed head
    [InlineData("GET\r\n/r1/x\r\nBad Name:x\r\n")]
    [InlineData("GET\r\n/r1/x\r\nX-A:x")]                 // no final CRLF
    [InlineData("GET\r\n/r1/x\r\nX-A:x\ny\r\n")]          // bare LF
    [InlineData("GET\r\n")]
    public void RequestHead_Malformed_IsRejected(string text) => Assert.False(RestRequestHead.TryParse(Encoding.UTF8.GetBytes(text), out _));
}
