using System.Net;
using Broker.Central.Publishing;
using Broker.Hosting.Hosts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Broker.Central;

/// <summary>
/// The central server's configuration endpoint (HTTPS, server-authenticated: the configuration is public data whose
/// integrity comes from its CMS signature, as in X-Road). <c>GET /globalconf</c> serves content and signature
/// together (what nodes fetch, with ETag); <c>/globalconf/conf.json</c> and <c>.p7s</c> serve them apart for openssl.
/// </summary>
public static class CentralHost
{
    public const string ConfigurationPath = "/globalconf";

    public static WebApplication Build(int port, System.Security.Cryptography.X509Certificates.X509Certificate2 tlsCertificate, GlobalConfigurationPublisher publisher, NodeHostSettings settings)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        var builder = NodeHost.CreateBuilder(settings, withGlobalConfiguration: false);
        builder.Services.AddSingleton(publisher);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen =>
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            listen.UseHttps(tlsCertificate);
        }));
        var app = builder.Build();
        app.MapGet(ConfigurationPath, (HttpContext context) =>
        {
            var published = publisher.Current;
            context.Response.Headers.ETag = published.ETag;
            context.Response.Headers.CacheControl = "no-cache";
            if (context.Request.Headers.IfNoneMatch == published.ETag)
            {
                return Results.StatusCode(StatusCodes.Status304NotModified);
            }

            return Results.Bytes(published.Envelope, "application/json");
        });
        app.MapGet(ConfigurationPath + "/conf.json", () => Results.Bytes(publisher.Current.Content, "application/json"));
        app.MapGet(ConfigurationPath + "/conf.json.p7s", () => Results.Bytes(publisher.Current.Signature, "application/pkcs7-signature"));
        return app;
    }
}
