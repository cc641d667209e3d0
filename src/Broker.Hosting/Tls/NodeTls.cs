using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Broker.Cryptography.X509;
using Broker.GlobalConfiguration.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Broker.Hosting.Tls;

/// <summary>
/// Mutual TLS between Broker's components: TLS 1.3 (1.2 accepted), certificates required on both sides, chains
/// built only against the global configuration's approved CAs (cached per certificate), never the OS store.
/// </summary>
public static class NodeTls
{
    public const SslProtocols Protocols = SslProtocols.Tls13 | SslProtocols.Tls12;

    /// <summary>Configures a Kestrel endpoint for mutual TLS; <paramref name="accept"/> may further restrict the peer.</summary>
    public static void UseMutualTls(ListenOptions listen, X509Certificate2 serverCertificate, IGlobalConfigurationProvider configuration, Func<X509Certificate2, bool>? accept = null)
    {
        ArgumentNullException.ThrowIfNull(listen);
        listen.Protocols = HttpProtocols.Http1AndHttp2;
        listen.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificate = serverCertificate,
            ClientCertificateMode = ClientCertificateMode.RequireCertificate,
            SslProtocols = Protocols,
            CheckCertificateRevocation = false,
            HandshakeTimeout = TimeSpan.FromSeconds(10),
            // Kestrel's own chain used the OS store; the verdict that counts is ours
            ClientCertificateValidation = (certificate, _, _) =>
                IsValidPeer(configuration, certificate, CertificatePurpose.TlsClient) && (accept?.Invoke(certificate) ?? true),
        });
    }

    /// <summary>An outbound handler that presents <paramref name="clientCertificate"/> and checks the server against the global configuration.</summary>
    public static SocketsHttpHandler CreateHandler(X509Certificate2 clientCertificate, IGlobalConfigurationProvider configuration, Func<X509Certificate2, bool> acceptServer)
    {
        ArgumentNullException.ThrowIfNull(acceptServer);
        return new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = Protocols,
                ClientCertificates = [clientCertificate],
                LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate,
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    certificate is X509Certificate2 server
                    && (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None // host name must match
                    && IsValidPeer(configuration, server, CertificatePurpose.TlsServer)
                    && acceptServer(server),
            },
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            MaxConnectionsPerServer = 512,
            EnableMultipleHttp2Connections = true,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            UseCookies = false,
            UseProxy = false,
            AllowAutoRedirect = false,
        };
    }

    private static bool IsValidPeer(IGlobalConfigurationProvider configuration, X509Certificate2 certificate, CertificatePurpose purpose)
    {
        var snapshot = configuration.Current;
        return snapshot is not null && snapshot.Validator.Validate(certificate, purpose) is null;
    }
}
