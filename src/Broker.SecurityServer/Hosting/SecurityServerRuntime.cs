using System.Collections.Frozen;
using System.Security.Cryptography.X509Certificates;
using Broker.Cryptography.Envelopes;
using Broker.Cryptography.Signing;
using Broker.Cryptography.Xml;
using Broker.GlobalConfiguration.Client;
using Broker.GlobalConfiguration.Model;
using Broker.Hosting.Tls;
using Broker.Protocol.Identifiers;
using Broker.SecurityServer.AccessControl;
using Microsoft.Extensions.Options;

namespace Broker.SecurityServer.Hosting;

/// <summary>The long-lived parts of a security server: identity, keys, access rights, and the pooled HTTP clients.</summary>
public sealed class SecurityServerRuntime : IDisposable
{
    private readonly SoftwareSigningKey _signingKey;

    public SecurityServerRuntime(IOptions<SecurityServerOptions> options, IGlobalConfigurationProvider configuration, TimeProvider time)
    {
        var o = options.Value;
        Options = o;
        Configuration = configuration;
        Time = time;
        ServerId = SecurityServerId.Parse(o.ServerId);
        Clients = o.Clients.Select(ClientId.Parse).ToFrozenSet();
        AccessRights = new AccessRights(o.Services);
        AuthCertificate = Broker.Pki.Authority.PemFiles.LoadWithKey(o.CertificatesDirectory, o.AuthCertificate);
        _signingKey = SoftwareSigningKey.FromPemFiles(
            Path.Combine(o.CertificatesDirectory, o.SigningCertificate + ".pem"),
            Path.Combine(o.CertificatesDirectory, o.SigningCertificate + ".key"));
        Signer = new EnvelopeSigner(new SignatureDocumentWriter(_signingKey), time);
        RouterClient = new HttpClient(NodeTls.CreateHandler(AuthCertificate, configuration, IsRouter)) { Timeout = Timeout.InfiniteTimeSpan };
        BackendClient = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false, // PR-REST: redirects are passed through, not followed
            UseCookies = false,
            UseProxy = false,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = 512,
        })
        { Timeout = Timeout.InfiniteTimeSpan };
    }

    public SecurityServerOptions Options { get; }

    public IGlobalConfigurationProvider Configuration { get; }

    public TimeProvider Time { get; }

    public SecurityServerId ServerId { get; }

    public FrozenSet<ClientId> Clients { get; }

    public AccessRights AccessRights { get; }

    public X509Certificate2 AuthCertificate { get; }

    public EnvelopeSigner Signer { get; }

    public HttpClient RouterClient { get; }

    public HttpClient BackendClient { get; }

    /// <summary>The body limit in force: the lower of the node's and the global configuration's.</summary>
    public int MaxMessageBytes(GlobalConfigurationSnapshot configuration) =>
        Math.Min(Options.MaxMessageBytes, configuration.Document.Settings.MaxMessageBytes);

    public void Dispose()
    {
        Signer.Dispose();
        RouterClient.Dispose();
        BackendClient.Dispose();
        _signingKey.Dispose();
        AuthCertificate.Dispose();
    }

    private bool IsRouter(X509Certificate2 certificate) => Configuration.Current?.IsRouterCertificate(certificate) == true;
}
