using System.Net.Http.Headers;
using Broker.Cli.Network;
using Broker.Cryptography.Signing;
using Broker.Hosting.Http;
using Broker.Protocol.Envelopes;
using Broker.Protocol.Identifiers;

namespace Broker.Testing;

/// <summary>Acting as one of the network's hops: its keys from the test PKI, and envelopes posted as a hop posts them.</summary>
public static class TestNetworkHops
{
    /// <summary>The provider side of a security server (the port the router delivers to).</summary>
    public static Uri ServiceUrl(this TestNetwork network, string serverId) => network.Network.SecurityServers[serverId].ServiceUrl;

    /// <summary>The signing key of <paramref name="member"/> (<c>INSTANCE/CLASS/MEMBER</c>) with its chain, from the test PKI.</summary>
    public static SoftwareSigningKey SigningKey(this TestNetwork network, string member)
    {
        var name = DevelopmentPki.SigningCertificateName(ClientId.Parse(member));
        return SoftwareSigningKey.FromPemFiles(Path.Combine(network.CertificatesDirectory, name + ".pem"), Path.Combine(network.CertificatesDirectory, name + ".key"));
    }

    /// <summary>An mTLS client presenting the certificate <paramref name="name"/> of the test PKI (see <see cref="DevelopmentPki"/>).</summary>
    public static HttpClient MutualTlsClient(this TestNetwork network, string name) => network.MutualTlsClient(network.LoadWithKey(name));

    /// <summary>Posts <paramref name="envelope"/> to <c>POST /v1/exchange</c> of <paramref name="node"/> with a deadline 10 s ahead (node time).</summary>
    public static async Task<HttpResponseMessage> PostEnvelopeAsync(this TestNetwork network, HttpClient client, Uri node, byte[] envelope, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(node, HopHeaders.ExchangePath))
        {
            Content = new ByteArrayContent(envelope),
            Version = System.Net.HttpVersion.Version11,
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(Envelope.MediaType);
        request.Headers.TryAddWithoutValidation(HopHeaders.Deadline, HopHeaders.FormatDeadline(network.Time.GetUtcNow().AddSeconds(10)));
        return await client.SendAsync(request, cancellationToken);
    }
}
