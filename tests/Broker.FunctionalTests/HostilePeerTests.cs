using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Broker.Cli.Network;
using Broker.Pki.Authority;
using Broker.Protocol.Envelopes;
using Broker.Protocol.Identifiers;
using Broker.Protocol.Rest;
using Broker.Testing;

namespace Broker.FunctionalTests;

/// <summary>
/// Hostile peers on the hops between the security servers and the router, everything real on loopback: TLS identities
/// that are valid but not the right node, and TLS certificates from outside the approved CAs (this file); envelopes
/// changed after signing or signed by the wrong key (<c>HostilePeerTests.Tampering.cs</c>). Each is refused with its
/// documented fault (docs/fault-codes.md) and the provider's service, a recording witness, never sees the request.
/// Controls show that the same hand-built requests get through when nothing is wrong.
/// </summary>
public sealed partial class HostilePeerTests(SampleNetworkFixture fixture) : IClassFixture<SampleNetworkFixture>
{
    private const string LandClient = "MN/GOV/LAND/land-services";
    private const string LandMember = "MN/GOV/LAND";

    /// <summary>Not approved anywhere, but named exactly like the development root so only the key tells them apart.</summary>
    private static readonly CertificateAuthority s_rogueCa = CertificateAuthority.CreateRoot("Broker MN Development Root CA");
    private static readonly string[] s_loopback = ["127.0.0.1", "localhost"];

    private TestNetwork Network => fixture.Network;

    private Uri Router => Network.Network.RouterUrl;

    private Uri Provider => Network.ServiceUrl(SampleNetworkFixture.Gasr);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static string Auth(string serverId) => DevelopmentPki.AuthCertificateName(serverId);

    [Fact]
    public async Task Router_LandsSecurityServerSendsLandRequest_IsDeliveredToService()
    {
        var probe = NewProbe();

        using var response = await SendAsync(Auth(SampleNetworkFixture.Land), Router, SignAsLand(probe));

        await AssertSignedResponseAsync(response);
        Assert.True(fixture.Probe.Saw(probe.Marker));
    }

    public static TheoryData<string> NotLandsSecurityServer =>
    [
        Auth(SampleNetworkFixture.Portal), // registered, hosts portal-backend, not land-services
        Auth(SampleNetworkFixture.Gasr), // the provider's own security server
        DevelopmentPki.RouterTls, // approved CA, registered, but as a router
        DevelopmentPki.CentralTls, // approved CA, registered to no security server
    ];

    [Theory]
    [MemberData(nameof(NotLandsSecurityServer))]
    public async Task Router_TlsCertificateNotOfTheNamedClientsServer_IsSslAuthenticationFailedAndServiceNotCalled(string certificate)
    {
        var probe = NewProbe();

        using var response = await SendAsync(certificate, Router, SignAsLand(probe));

        await FaultAssert.IsFaultAsync(response, HttpStatusCode.Forbidden, "Server.Router.SslAuthenticationFailed");
        Assert.False(fixture.Probe.Saw(probe.Marker));
    }

    public static TheoryData<string> NotARouter =>
    [
        Auth(SampleNetworkFixture.Land), // the consumer's security server, skipping the router
        Auth(SampleNetworkFixture.Gasr), // the provider's own authentication certificate
        DevelopmentPki.CentralTls,
    ];

    [Theory]
    [MemberData(nameof(NotARouter))]
    public async Task Provider_TlsPeerNotARegisteredRouter_IsSslAuthenticationFailedAndServiceNotCalled(string certificate)
    {
        var probe = NewProbe();

        using var response = await SendAsync(certificate, Provider, SignAsLand(probe));

        await FaultAssert.IsFaultAsync(response, HttpStatusCode.Forbidden, "Server.ServerProxy.SslAuthenticationFailed");
        Assert.False(fixture.Probe.Saw(probe.Marker));
    }

    public static TheoryData<string, string> UntrustedTlsClients => new()
    {
        { "router", "rogue CA" },
        { "router", "expired, approved CA" },
        { "router", "none" },
        { "provider", "rogue CA" },
        { "provider", "expired, approved CA" },
        { "provider", "none" },
    };

    [Theory]
    [MemberData(nameof(UntrustedTlsClients))]
    public async Task Node_TlsClientCertificateUntrusted_ConnectionRefusedAndServiceNotCalled(string node, string certificate)
    {
        var probe = NewProbe();
        var target = node == "router" ? Router : Provider;
        using var client = UntrustedClient(certificate, impersonateRouter: node == "provider");

        var error = await Assert.ThrowsAnyAsync<HttpRequestException>(() => Network.PostEnvelopeAsync(client, target, SignAsLand(probe), Cancel));

        Assert.NotEqual(HttpRequestError.ConnectionError, error.HttpRequestError); // the node is listening: it refused the certificate
        Assert.False(fixture.Probe.Saw(probe.Marker));
    }

    /// <summary>
    /// A client that trusts the test root for the server and presents a certificate the node must refuse, named like
    /// the peer the node expects (the router at a provider, LAND's security server at the router).
    /// </summary>
    private HttpClient UntrustedClient(string kind, bool impersonateRouter)
    {
        var (name, owner) = impersonateRouter ? ("router.broker.local", (ClientId?)null) : ("ss1.land.broker.local", ClientId.Parse(LandMember));
        var certificate = kind switch
        {
            "rogue CA" => s_rogueCa.IssueTls(name, owner, s_loopback),
            "expired, approved CA" => ExpiredFromApprovedCa(name, owner),
            "none" => null,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
        if (certificate is not null)
        {
            return Network.MutualTlsClient(certificate); // as the controls connect, only the certificate differs
        }

        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(Network.RootCa);
        return new HttpClient(new SocketsHttpHandler { SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy } });
    }

    /// <summary>Issued by the approved root now, but valid only from five minutes ago until one minute ago.</summary>
    private X509Certificate2 ExpiredFromApprovedCa(string commonName, ClientId? owner)
    {
        var ca = new CertificateAuthority(PemFiles.LoadWithKey(Network.CertificatesDirectory, DevelopmentPki.RootCa));
        return ca.IssueTls(commonName, owner, s_loopback, TimeSpan.FromMinutes(-1));
    }

    /// <summary>A POST to the probe service with a JSON body; the marker is in the path, X-Road-Id and the body.</summary>
    private static ProbeRequest NewProbe()
    {
        var marker = Guid.NewGuid().ToString("N");
        var head = HopEnvelopes.RequestHead(
            "POST", ProbeService.Path(marker) + "/record-1", LandClient,
            ("Content-Type", "application/json"), ("X-Road-UserId", "MN12345678"), ("x-road-id", "MN-" + marker));
        return new ProbeRequest(marker, head, Encoding.UTF8.GetBytes($"{{\"parcel\":\"ДУ-1043\",\"marker\":\"{marker}\"}}"));
    }

    private byte[] SignAsLand(ProbeRequest probe)
    {
        using var key = Network.SigningKey(LandMember);
        return HopEnvelopes.Sign(key, probe.Head, probe.Body, Network.Time);
    }

    private async Task<HttpResponseMessage> SendAsync(string tlsCertificate, Uri node, byte[] envelope)
    {
        using var client = Network.MutualTlsClient(tlsCertificate);
        return await Network.PostEnvelopeAsync(client, node, envelope, Cancel);
    }

    private static async Task AssertSignedResponseAsync(HttpResponseMessage response)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {Encoding.UTF8.GetString(bytes)}");
        Assert.False(response.Headers.Contains(XRoadHeaders.Error));
        Assert.Equal(Envelope.MediaType, response.Content.Headers.ContentType?.MediaType);
        var envelope = HopEnvelopes.Parse(bytes);
        Assert.Equal(EnvelopeKind.Response, envelope.Kind);
        Assert.True(RestResponseHead.TryParse(envelope.Head.Span, out var head));
        Assert.Equal(200, head.StatusCode);
    }

    private sealed record ProbeRequest(string Marker, RestRequestHead Head, byte[] Body);
}
