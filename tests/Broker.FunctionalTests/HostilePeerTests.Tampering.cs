using System.Net;
using System.Text;
using Broker.Cli.Network;
using Broker.Cryptography.Signing;
using Broker.Protocol.Identifiers;
using Broker.Protocol.Rest;
using Broker.Testing;

namespace Broker.FunctionalTests;

/// <summary>
/// Acting as the router (its TLS certificate from the test PKI), envelopes go straight to the provider's service port:
/// a part changed after LAND signed it, or a head that names LAND signed by a key that is not LAND's signing key.
/// </summary>
public sealed partial class HostilePeerTests
{
    private const string SignatureVerification = "Server.ServerProxy.SignatureVerification";
    private const string CertValidation = "Server.ServerProxy.CertValidation";

    [Fact]
    public async Task Provider_LandSignedEnvelopeFromRouter_IsDeliveredToServiceAndAnsweredSigned()
    {
        var probe = NewProbe();

        using var response = await SendAsync(DevelopmentPki.RouterTls, Provider, SignAsLand(probe));

        await AssertSignedResponseAsync(response);
        var received = Assert.Single(fixture.Probe.Requests, r => r.Contains(probe.Marker));
        Assert.Equal(probe.Body, received.Body);
        Assert.Contains(received.Headers, h => h.Key == "X-Road-UserId" && h.Value == "MN12345678");
    }

    public static TheoryData<string> BodyChanges => ["first byte flipped", "last byte flipped", "one byte dropped", "one byte appended", "body frame removed"];

    [Theory]
    [MemberData(nameof(BodyChanges))]
    public async Task Provider_BodyChangedAfterSigning_IsSignatureVerificationAndServiceNotCalled(string change)
    {
        var probe = NewProbe();
        var body = (byte[])probe.Body.Clone();
        body = change switch
        {
            "first byte flipped" => Flip(body, 0),
            "last byte flipped" => Flip(body, body.Length - 1),
            "one byte dropped" => body[..^1],
            "one byte appended" => [.. body, (byte)' '],
            "body frame removed" => [],
            _ => throw new ArgumentOutOfRangeException(nameof(change), change, null),
        };

        using var response = await SendAsync(DevelopmentPki.RouterTls, Provider, HopEnvelopes.WithBody(SignAsLand(probe), body));

        await FaultAssert.IsFaultAsync(response, HttpStatusCode.InternalServerError, SignatureVerification);
        Assert.False(fixture.Probe.Saw(probe.Marker));
    }

    public static TheoryData<string, string> HeadChanges => new()
    {
        { "X-Road-UserId changed", SignatureVerification },
        { "service path changed", SignatureVerification },
        { "query added", SignatureVerification },
        { "method changed", SignatureVerification },
        { "X-Road-Issue added", SignatureVerification },
        { "X-Road-UserId removed", SignatureVerification },
        { "signature document of another LAND request", SignatureVerification },
        { "X-Road-Client changed to the portal", CertValidation }, // LAND's signature no longer belongs to the named member
        { "second X-Road-Client appended", CertValidation }, // the last one counts, as at the client proxy
    };

    [Theory]
    [MemberData(nameof(HeadChanges))]
    public async Task Provider_HeadChangedAfterSigning_IsRefusedAndServiceNotCalled(string change, string code)
    {
        var probe = NewProbe();
        var signed = SignAsLand(probe);
        var head = probe.Head;
        var envelope = change switch
        {
            "X-Road-UserId changed" => Replace(head.With(headers: h => Set(h, XRoadHeaders.UserId, "MN87654321"))),
            "service path changed" => Replace(head.With(rawUri: head.RawUri.Replace("record-1", "record-2", StringComparison.Ordinal))),
            "query added" => Replace(head.With(rawUri: head.RawUri + "?all=true")),
            "method changed" => Replace(head.With(method: "DELETE")),
            "X-Road-Issue added" => Replace(head.With(headers: h => h.Add(XRoadHeaders.Issue, "forged"))),
            "X-Road-UserId removed" => Replace(head.With(headers: h => h.RemoveAll(XRoadHeaders.UserId))),
            "signature document of another LAND request" => HopEnvelopes.WithSignatureOf(signed, SignAsLand(NewProbe())),
            "X-Road-Client changed to the portal" => Replace(head.With(headers: h => Set(h, XRoadHeaders.Client, "MN/GOV/EMONGOLIA/portal-backend"))),
            "second X-Road-Client appended" => Replace(head.With(headers: h => h.Add(XRoadHeaders.Client, "MN/GOV/EMONGOLIA/portal-backend"))),
            _ => throw new ArgumentOutOfRangeException(nameof(change), change, null),
        };

        using var response = await SendAsync(DevelopmentPki.RouterTls, Provider, envelope);

        await FaultAssert.IsFaultAsync(response, HttpStatusCode.InternalServerError, code);
        Assert.False(fixture.Probe.Saw(probe.Marker));

        byte[] Replace(RestRequestHead changed) => HopEnvelopes.WithHead(signed, changed.Serialize());
    }

    public static TheoryData<string> ForeignSigners =>
    [
        "portal member's signing key",
        "LAND signing certificate from a rogue CA",
        "LAND security server's authentication key",
        "central server's configuration-signing key",
    ];

    [Theory]
    [MemberData(nameof(ForeignSigners))]
    public async Task Provider_HeadNamesLandButSignerIsNotLandsSigningCertificate_IsCertValidationAndServiceNotCalled(string signer)
    {
        var probe = NewProbe();
        using var key = signer switch
        {
            "portal member's signing key" => Network.SigningKey("MN/GOV/EMONGOLIA"),
            "LAND signing certificate from a rogue CA" => new SoftwareSigningKey(s_rogueCa.IssueSigning(ClientId.Parse(LandMember), "Land"), [s_rogueCa.Certificate]),
            "LAND security server's authentication key" => new SoftwareSigningKey(Network.LoadWithKey(Auth(SampleNetworkFixture.Land)), [Network.RootCa]),
            "central server's configuration-signing key" => new SoftwareSigningKey(Network.LoadWithKey(DevelopmentPki.CentralConfigurationSigning), [Network.RootCa]),
            _ => throw new ArgumentOutOfRangeException(nameof(signer), signer, null),
        };

        using var response = await SendAsync(DevelopmentPki.RouterTls, Provider, HopEnvelopes.Sign(key, probe.Head, probe.Body, Network.Time));

        await FaultAssert.IsFaultAsync(response, HttpStatusCode.InternalServerError, CertValidation);
        Assert.False(fixture.Probe.Saw(probe.Marker));
    }

    [Fact]
    public async Task Router_TamperedEnvelopeFromLandsServer_ProviderRefusalRelayedUnchanged()
    {
        // the router reads only the head, so it forwards the envelope; the provider's refusal comes back as it was made
        var probe = NewProbe();
        var envelope = HopEnvelopes.WithBody(SignAsLand(probe), Encoding.UTF8.GetBytes("{\"parcel\":\"ДУ-1044\"}"));

        using var response = await SendAsync(Auth(SampleNetworkFixture.Land), Router, envelope);

        await FaultAssert.IsFaultAsync(response, HttpStatusCode.InternalServerError, SignatureVerification);
        Assert.False(fixture.Probe.Saw(probe.Marker));
    }

    private static byte[] Flip(byte[] bytes, int index)
    {
        bytes[index] ^= 0x01;
        return bytes;
    }

    private static void Set(HeaderList headers, string name, string value)
    {
        var index = headers.FindIndex(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase));
        headers[index] = KeyValuePair.Create(headers[index].Key, value);
    }
}
