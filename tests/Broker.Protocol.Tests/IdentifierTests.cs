using Broker.Protocol.Identifiers;
using FsCheck;
using FsCheck.Fluent;

namespace Broker.Protocol.Tests;

public sealed class IdentifierTests
{
    [Theory]
    [InlineData("MN/GOV/LAND/land-services")]
    [InlineData("MN/GOV/LAND")]
    [InlineData("MN/COM/1234567-8/sub.system(1)")]
    public void ClientId_ParseFormat_RoundTrips(string text)
    {
        var id = ClientId.Parse(text);
        Assert.Equal(text, id.ToString());
        Assert.Equal(id, ClientId.Parse(id.ToString()));
    }

    [Fact]
    public void ClientId_PercentEncodedParts_AreDecodedAndReEncoded()
    {
        var id = ClientId.Parse("MN/GOV/LAND/a%3Fb");
        Assert.Equal("a?b", id.Subsystem);
        Assert.Equal("MN/GOV/LAND/a%3Fb", id.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("MN/GOV")]
    [InlineData("MN/GOV/LAND/sub/extra")]
    [InlineData("MN//LAND")]
    [InlineData("MN/GOV/LA ND")]
    [InlineData("MN/GOV/LAND/%2F")]
    [InlineData("MN/GOV/LAND/%zz")]
    [InlineData("MN/GOV/LAND/земля")]
    public void ClientId_Malformed_IsRejected(string text) => Assert.False(ClientId.TryParse(text, out _));

    [Fact]
    public void ServiceId_RequiresSubsystemAndRoundTrips()
    {
        var id = ServiceId.Parse("MN/GOV/GASR/civil-registry/citizens");
        Assert.Equal("civil-registry", id.Provider.Subsystem);
        Assert.Equal("citizens", id.ServiceCode);
        Assert.Equal("MN/GOV/GASR/civil-registry/citizens", id.ToString());
        Assert.Equal("MN/GOV/GASR/civil-registry/citizens/v2", ServiceId.Parse("MN/GOV/GASR/civil-registry/citizens/v2").ToString());
        Assert.False(ServiceId.TryParse("MN/GOV/GASR/citizens", out _));
    }

    [Fact]
    public void SecurityServerId_RoundTripsAndNamesOwner()
    {
        var id = SecurityServerId.Parse("MN/GOV/GASR/ss1");
        Assert.Equal(ClientId.Parse("MN/GOV/GASR"), id.Owner);
        Assert.Equal("MN/GOV/GASR/ss1", id.ToString());
    }

    [Fact]
    public void ClientId_AnyValidParts_RoundTrip()
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'()+,-.=?";
        var part = Gen.Elements(alphabet.ToCharArray()).NonEmptyListOf().Select(cs => new string(cs.Take(40).ToArray()));
        var ids = from a in part from b in part from c in part from d in part select new ClientId(a, b, c, d);
        Prop.ForAll(ids.ToArbitrary(), id => ClientId.Parse(id.ToString()) == id).QuickCheckThrowOnFailure();
    }
}
