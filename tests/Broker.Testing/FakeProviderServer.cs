using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace Broker.Testing;

/// <summary>What a <see cref="FakeProviderServer"/> does with what reaches it.</summary>
public enum FakeProviderBehavior
{
    /// <summary>Reads the request and answers 200 with <see cref="FakeProviderServer.AnswerBody"/> (not a signed envelope).</summary>
    Answer,

    /// <summary>Reads the request and never answers (until the caller gives up or the server stops).</summary>
    Hang,

    /// <summary>Accepts the TCP connection and closes it at once, before the TLS handshake: nothing can be sent.</summary>
    CloseOnConnect,

    /// <summary>Reads the whole request, then aborts the TCP connection without answering.</summary>
    ResetAfterRequest,

    /// <summary>Reads the request and answers a bare HTTP 500 without <c>X-Road-Error</c>, as a crashed host or a proxy would.</summary>
    ServerError,

    /// <summary>Reads the request and answers the bus fault <c>Server.ServerProxy.ServiceFailed</c> (500), as a healthy security server does when its service fails.</summary>
    ServiceFailedFault,
}

/// <summary>
/// A provider's security server stand-in on a given loopback port: it presents the certificate it is given (the
/// provider's registered one, so the router's TLS check accepts it), speaks HTTP/2 and HTTP/1.1 over mutual TLS
/// (any client certificate), and behaves as <see cref="Behavior"/> says, which the test may change at any time. It
/// counts the TCP connections it accepted and the requests whose body it read completely.
/// </summary>
public sealed class FakeProviderServer : IAsyncDisposable
{
    public static readonly byte[] AnswerBody = "fake provider answer"u8.ToArray();
    private const string ConnectionItem = "fake.connection";
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication _app = null!;
    private int _behavior;
    private int _connections;
    private int _requests;

    private FakeProviderServer(FakeProviderBehavior behavior) => Behavior = behavior;

    public FakeProviderBehavior Behavior
    {
        get => (FakeProviderBehavior)Volatile.Read(ref _behavior);
        set => Volatile.Write(ref _behavior, (int)value);
    }

    /// <summary>TCP connections accepted (counted before the TLS handshake).</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Requests that reached the server: their body was read to the end.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>
    /// Starts on <c>127.0.0.1:<paramref name="port"/></c>. The port was usually just released by a stopped server,
    /// so a bind that fails as "address in use" is retried a few times.
    /// </summary>
    public static async Task<FakeProviderServer> StartAsync(int port, X509Certificate2 certificate, FakeProviderBehavior behavior, CancellationToken cancellationToken)
    {
        const int attempts = 20;
        for (var attempt = 1; ; attempt++)
        {
            var server = new FakeProviderServer(behavior);
            server._app = server.Build(port, certificate);
            try
            {
                await server._app.StartAsync(cancellationToken);
                return server;
            }
            catch (IOException) when (attempt < attempts)
            {
                await server._app.DisposeAsync();
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
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            listen.Use(next => connection =>
            {
                Interlocked.Increment(ref _connections);
                if (Behavior == FakeProviderBehavior.CloseOnConnect)
                {
                    connection.Abort(new ConnectionAbortedException("fake provider: closed on connect"));
                    return Task.CompletedTask;
                }

                connection.Items[ConnectionItem] = connection;
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
        app.Run(HandleAsync);
        return app;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        try
        {
            await context.Request.Body.CopyToAsync(Stream.Null, aborted.Token);
            Interlocked.Increment(ref _requests);
            switch (Behavior)
            {
                case FakeProviderBehavior.Hang:
                    await Task.Delay(Timeout.Infinite, aborted.Token);
                    break;
                case FakeProviderBehavior.ResetAfterRequest:
                    var connection = (ConnectionContext)context.Features.Get<IConnectionItemsFeature>()!.Items[ConnectionItem]!;
                    connection.Abort(new ConnectionAbortedException("fake provider: reset after the request"));
                    break;
                case FakeProviderBehavior.ServerError:
                    context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                    context.Response.ContentType = "text/plain";
                    await context.Response.WriteAsync("internal error", aborted.Token);
                    break;
                case FakeProviderBehavior.ServiceFailedFault:
                    context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                    context.Response.Headers["X-Road-Error"] = "Server.ServerProxy.ServiceFailed";
                    context.Response.ContentType = "application/json; charset=utf-8";
                    await context.Response.WriteAsync(
                        $"{{\"type\":\"Server.ServerProxy.ServiceFailed\",\"message\":\"The service cannot be reached.\",\"detail\":\"{Guid.NewGuid()}\"}}", aborted.Token);
                    break;
                default:
                    context.Response.ContentType = "application/octet-stream";
                    await context.Response.Body.WriteAsync(AnswerBody, aborted.Token);
                    break;
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
        }

        await _app.DisposeAsync();
        _stopping.Dispose();
    }
}
