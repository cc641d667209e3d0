using Broker.Protocol.Faults;
using Broker.Protocol.Rest;

namespace Broker.Protocol.Tests;

public sealed class RequestTargetTests
{
    [Fact]
    public void TryParse_SplitsServiceFromRawServicePathAndQuery()
    {
        Assert.True(RestRequestTarget.TryParse("/r1/MN/GOV/GASR/civil-registry/citizens/%D0%A3%D0%91/x", "?a=1", out var target, out _));
        Assert.Equal("MN/GOV/GASR/civil-registry/citizens", target.Service.ToString());
        Assert.Equal("/%D0%A3%D0%91/x", target.ServicePath);
        Assert.Equal("?a=1", target.Query);
    }

    [Theory]
    [InlineData("/r1/MN/GOV/GASR/civil-registry/citizens/UB1?a=1&b=2", "/UB1", "?a=1&b=2")]
    [InlineData("/r1/MN/GOV/GASR/civil-registry/citizens", "", "")]
    [InlineData("/r1/MN/GOV/GASR/civil-registry/citizens?x", "", "?x")]
    public void TryParse_RawUri_SplitsQueryLikePathAndQuery(string rawUri, string servicePath, string query)
    {
        Assert.True(RestRequestTarget.TryParse(rawUri, out var target, out _));
        Assert.Equal("MN/GOV/GASR/civil-registry/citizens", target.Service.ToString());
        Assert.Equal(servicePath, target.ServicePath);
        Assert.Equal(query, target.Query);
    }

    [Fact]
    public void TryParse_ServiceWithoutPath_HasEmptyServicePath()
    {
        Assert.True(RestRequestTarget.TryParse("/r1/MN/GOV/GASR/civil-registry/citizens", "", out var target, out _));
        Assert.Equal("", target.ServicePath);
    }

    [Theory]
    [InlineData("/r1/MN/GOV/GASR/civil-registry", FaultCodes.BadRequest)]
    [InlineData("/r1/MN/GOV/GASR/civil-registry/", FaultCodes.BadRequest)]
    [InlineData("/r9/MN/GOV/GASR/civil-registry/citizens", FaultCodes.InvalidProtocolVersion)]
    [InlineData("/MN/GOV/GASR/civil-registry/citizens", FaultCodes.BadRequest)]
    public void TryParse_Malformed_GivesClientFault(string path, string code)
    {
        Assert.False(RestRequestTarget.TryParse(path, "", out _, out var fault));
        Assert.Equal(code, fault.Code);
        Assert.Equal(400, fault.HttpStatus);
    }
}
