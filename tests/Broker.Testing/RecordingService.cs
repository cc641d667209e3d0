using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Broker.Testing;

/// <summary>
/// A provider's information system on a free loopback port that records every request it receives and answers 200
/// with a small JSON body: a witness for "nothing reached the service".
/// </summary>
public sealed class RecordingService : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    private RecordingService(WebApplication app)
    {
        _app = app;
    }

    /// <summary>The base address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public static async Task<RecordingService> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var service = new RecordingService(app);
        app.Run(service.RecordAsync);
        await app.StartAsync();
        service.Url = new Uri(app.Urls.First());
        return service;
    }

    /// <summary>True when any request received so far carries <paramref name="marker"/>.</summary>
    public bool Saw(string marker) => _requests.Any(r => r.Contains(marker));

    private async Task RecordAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var headers = context.Request.Headers.SelectMany(h => h.Value.Select(v => KeyValuePair.Create(h.Key, v ?? ""))).ToList();
        _requests.Enqueue(new RecordedRequest(
            context.Request.Method, context.Request.Path.ToUriComponent() + context.Request.QueryString.ToUriComponent(), headers, body.ToArray()));
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync("{\"recorded\":true}", context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
