using System.Net;
using System.Text;

namespace Broker.FunctionalTests;

/// <summary>An agency's information system calls its own security server with X-Road REST r1; everything real, on loopback.</summary>
public sealed class RestExchangeTests(SampleNetworkFixture fixture) : IClassFixture<SampleNetworkFixture>
{
    private const string LandClient = "MN/GOV/LAND/land-services";

    private HttpRequestMessage Request(HttpMethod method, string path, string? client = LandClient, string server = SampleNetworkFixture.Land)
    {
        var request = new HttpRequestMessage(method, new Uri(fixture.Network.ClientUrl(server), path));
        if (client is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Road-Client", client);
        }

        return request;
    }

    private Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => fixture.Network.Http.SendAsync(request, TestContext.Current.CancellationToken);

    [Fact]
    public async Task Get_CitizenRecord_ReturnsProviderBodyWithAllXRoadHeaders()
    {
        using var response = await SendAsync(Request(HttpMethod.Get, "/r1/MN/GOV/GASR/civil-registry/citizens/UB99010112"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Батболд", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(LandClient, response.Headers.GetValues("X-Road-Client").Single());
        Assert.Equal("MN/GOV/GASR/civil-registry/citizens", response.Headers.GetValues("X-Road-Service").Single());
        Assert.StartsWith("MN-", response.Headers.GetValues("X-Road-Id").Single(), StringComparison.Ordinal);
        Assert.True(Guid.TryParse(response.Headers.GetValues("X-Road-Request-Id").Single(), out _));
        Assert.Equal(64, Convert.FromBase64String(response.Headers.GetValues("X-Road-Request-Hash").Single()).Length);
        Assert.False(response.Headers.Contains("X-Road-Error"));
    }

    [Fact]
    public async Task Post_WithIdAndUserId_CarriesIdEndToEndAndPassesBodyUnchanged()
    {
        var request = Request(HttpMethod.Post, "/r1/MN/GOV/GASR/civil-registry/citizens/echo?reason=land-title");
        request.Headers.Add("X-Road-Id", "land-request-42");
        request.Headers.Add("X-Road-UserId", "MN12345678");
        var payload = "{\"parcel\":\"ДУ-1043\",\"note\":\"" + new string('x', 20_000) + "\"}";
        request.Content = new StringContent(payload, Encoding.UTF8, "application/json");

        using var response = await SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(payload, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("land-request-42", response.Headers.GetValues("X-Road-Id").Single());
    }

    [Fact]
    public async Task Get_UnknownRecord_PassesProviderStatusThroughWithoutBusError()
    {
        using var response = await SendAsync(Request(HttpMethod.Get, "/r1/MN/GOV/GASR/civil-registry/citizens/NOSUCHPERSON"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Road-Error"));
        Assert.True(response.Headers.Contains("X-Road-Request-Hash"));
    }

    [Fact]
    public async Task Get_ViaGlobalGroup_PortalMayReadTaxClearance()
    {
        using var response = await SendAsync(Request(HttpMethod.Get, "/r1/MN/GOV/MTA/tax-registry/tax-clearance/UB99010112", "MN/GOV/EMONGOLIA/portal-backend", SampleNetworkFixture.Portal));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("CLEAR", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Get_ServiceNotInAccessRights_IsAccessDenied()
    {
        using var response = await SendAsync(Request(HttpMethod.Get, "/r1/MN/GOV/GASR/civil-registry/addresses/UB99010112", "MN/GOV/EMONGOLIA/portal-backend", SampleNetworkFixture.Portal));

        await FaultAssert.IsFaultAsync(response, HttpStatusCode.Forbidden, "Server.ServerProxy.AccessDenied");
    }

    [Fact]
    public async Task Get_UnknownServiceCode_IsUnknownServiceAtProvider()
    {
        using var response = await SendAsync(Request(HttpMethod.Get, "/r1/MN/GOV/GASR/civil-registry/passports/UB99010112"));

        await FaultAssert.IsFaultAsync(response, HttpStatusCode.NotFound, "Server.ServerProxy.UnknownService");
    }

    [Fact]
    public async Task Get_UnknownProviderSubsystem_IsUnknownServiceAtClientProxy()
    {
        using var response = await SendAsync(Request(HttpMethod.Get, "/r1/MN/GOV/GASR/no-such-subsystem/citizens/UB99010112"));

        await FaultAssert.IsFaultAsync(response, HttpStatusCode.NotFound, "Server.ClientProxy.UnknownService");
    }

    [Theory]
    [InlineData("MN/GOV/NOPE/land-services")]
    [InlineData("MN/GOV/GASR/civil-registry")] // registered, but not on this security server
    public async Task Get_ClientNotHostedHere_IsUnknownMember(string client)
    {
        using var response = await SendAsync(Request(HttpMethod.Get, "/r1/MN/GOV/GASR/civil-registry/citizens/UB99010112", client));

        await FaultAssert.IsFaultAsync(response, HttpStatusCode.Forbidden, "Client.UnknownMember");
    }

    [Fact]
    public async Task Get_WithoutClientHeader_IsMissingHeader()
    {
        using var response = await SendAsync(Request(HttpMethod.Get, "/r1/MN/GOV/GASR/civil-registry/citizens/UB99010112", client: null));

        await FaultAssert.IsFaultAsync(response, HttpStatusCode.BadRequest, "Client.MissingHeader");
    }

    [Theory]
    [InlineData("MN/GOV")]
    [InlineData("MN/GOV/LAND")] // a member, not a subsystem
    [InlineData("MN/GOV/LAND/land services")]
    [InlineData("MN/GOV/LAND/land%ZZ")]
    [InlineData("MN//LAND/land-services")]
    public async Task Get_MalformedClientHeader_IsInvalidClientIdentifier(string client)
    {
        using var response = await SendAsync(Request(HttpMethod.Get, "/r1/MN/GOV/GASR/civil-registry/citizens/UB99010112", client));

        await FaultAssert.IsFaultAsync(response, HttpStatusCode.BadRequest, "Client.InvalidClientIdentifier");
    }

    [Theory]
    [InlineData("/r1/MN/GOV/GASR/civil-registry", "Client.BadRequest")]
    [InlineData("/r1/MN/GOV/GASR", "Client.BadRequest")]
    [InlineData("/rest/MN/GOV/GASR/civil-registry/citizens", "Client.BadRequest")]
    [InlineData("/r2/MN/GOV/GASR/civil-registry/citizens", "Client.InvalidProtocolVersion")]
    public async Task Get_MalformedPath_IsClientFault(string path, string code)
    {
        using var response = await SendAsync(Request(HttpMethod.Get, path));

        await FaultAssert.IsFaultAsync(response, HttpStatusCode.BadRequest, code);
    }

    [Fact]
    public async Task Get_ProviderServiceHangs_IsTimeoutFault()
    {
        using var response = await SendAsync(Request(HttpMethod.Get, "/r1/MN/GOV/GASR/civil-registry/slow/1"));

        await FaultAssert.IsFaultAsync(response, HttpStatusCode.GatewayTimeout, "Server.ServerProxy.Timeout");
    }

    [Fact]
    public async Task Get_ProviderServiceDown_IsServiceFailed()
    {
        using var response = await SendAsync(Request(HttpMethod.Get, "/r1/MN/GOV/GASR/civil-registry/down/1"));

        await FaultAssert.IsFaultAsync(response, HttpStatusCode.InternalServerError, "Server.ServerProxy.ServiceFailed");
    }

    [Fact]
    public async Task Post_BodyOverLimit_IsMessageTooLarge()
    {
        var request = Request(HttpMethod.Post, "/r1/MN/GOV/GASR/civil-registry/citizens/echo");
        request.Content = new ByteArrayContent(new byte[10 * 1024 * 1024 + 1]);

        using var response = await SendAsync(request);

        await FaultAssert.IsFaultAsync(response, HttpStatusCode.RequestEntityTooLarge, "Client.MessageTooLarge");
    }
}
