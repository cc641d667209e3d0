using System.Net;
using System.Security.Cryptography.X509Certificates;
using Broker.Cryptography.Timestamping;
using Broker.Hosting.Hosts;
using Broker.Hosting.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace Broker.Central.Timestamping;

/// <summary>
/// The central server's time-stamping authority as its own host (so it can be stopped and started apart from the
/// configuration endpoint): RFC 3161 over HTTP (section 3.4), plain HTTP on loopback as TSAs usually are — the tokens
/// are signed, and nodes accept only the TSA certificates listed in the global configuration.
/// <c>POST /tsa</c> takes <c>application/timestamp-query</c> (at most 64 KiB) and answers
/// <c>application/timestamp-reply</c>, a rejection included; <c>GET /tsa/certificate</c> serves the TSA certificate (PEM).
/// </summary>
public static class TimestampAuthorityHost
{
    public const string TimestampPath = "/tsa";
    public const string CertificatePath = "/tsa/certificate";
    public const int MaxRequestBytes = 64 * 1024;

    public static WebApplication Build(int port, X509Certificate2 tsaCertificateWithKey, NodeHostSettings settings)
    {
        ArgumentNullException.ThrowIfNull(tsaCertificateWithKey);
        var builder = NodeHost.CreateBuilder(settings, withGlobalConfiguration: false);
        builder.Services.AddTimestampAuthority(tsaCertificateWithKey);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var tsa = app.Services.GetRequiredService<TimestampAuthority>();
        app.MapPost(TimestampPath, (Func<HttpContext, Task<IResult>>)(context => RespondAsync(tsa, context)));
        app.MapGet(CertificatePath, () => Results.Text(tsa.Certificate.ExportCertificatePem() + "\n", "application/pem-certificate-chain"));
        return app;
    }

    private static async Task<IResult> RespondAsync(TimestampAuthority tsa, HttpContext context)
    {
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type)
            || !type.MediaType.Equals(TimestampClient.QueryMediaType, StringComparison.OrdinalIgnoreCase))
        {
            return Results.Text($"Send an RFC 3161 TimeStampReq as {TimestampClient.QueryMediaType}.", statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        using var body = await PooledBody.ReadAsync(context.Request, MaxRequestBytes, context.RequestAborted);
        if (body is null)
        {
            return Results.Text($"A time-stamp request is at most {MaxRequestBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        return Results.Bytes(tsa.Respond(body.Memory.ToArray()), TimestampClient.ReplyMediaType);
    }
}
