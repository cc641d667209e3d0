using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace Broker.Testing;

/// <summary>
/// An HTTPS server on a given loopback port that presents a certificate it should not (another node's), requires a
/// client certificate but accepts any, and answers every request 200: a careless impostor. It counts the TCP
/// connections it accepted and records every HTTP request that reached it. (Whether its side of a refused TLS 1.3
/// handshake completes depends on when the client checks the certificate, so that is not a signal.)
/// </summary>
public sealed class ImpostorServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private WebApplication _app = null!;
    private int _connections;

    private ImpostorServer()
    {
    }

    /// <summary>TCP connections accepted (counted before the TLS handshake).</summary>
    public int Connections => Volatile.Read(ref _connections);

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>
    /// Starts on <c>127.0.0.1:<paramref name="port"/></c>. The port was just released by a stopped server, so a bind
    /// that fails as "address in use" is retried a few times.
    /// </summary>
    public static async Task<ImpostorServer> StartAsync(int port, X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        const int attempts = 20;
        for (var attempt = 1; ; attempt++)
        {
            var impostor = new ImpostorServer();
            impostor._app = impostor.Build(port, certificate);
            try
            {
                await impostor._app.StartAsync(cancellationToken);
                return impostor;
            }
            catch (IOException) when (attempt < attempts)
            {
                await impostor._app.DisposeAsync();
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }
        }
    }

    private WebApplication Build(int port, X509Certificate2 certificate)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen =>
        {
            listen.Use(next => connection =>
            {
                Interlocked.Increment(ref _connections);
                return next(connection);
            });
            listen.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificate = certificate,
                ClientCertificateMode = ClientCertificateMode.RequireCertificate,
                CheckCertificateRevocation = false,
                ClientCertificateValidation = (_, _, _) => true,
            });
        }));
        var app = builder.Build();
        app.Run(RecordAsync);
        return app;
    }

    private async Task RecordAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var headers = context.Request.Headers.SelectMany(h => h.Value.Select(v => KeyValuePair.Create(h.Key, v ?? ""))).ToList();
        _requests.Enqueue(new RecordedRequest(
            context.Request.Method, context.Request.Path.ToUriComponent() + context.Request.QueryString.ToUriComponent(), headers, body.ToArray()));
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync("{\"impostor\":true}", context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
        }

        await _app.DisposeAsync();
    }
}
