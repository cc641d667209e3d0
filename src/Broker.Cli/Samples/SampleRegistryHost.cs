using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Broker.Hosting.Hosts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Broker.Cli.Samples;

/// <summary>
/// A sample agency registry (the provider's information system behind its security server): <c>GET /{collection}/{key}</c>
/// answers a JSON record or 404, as a real registry's REST API would. It logs which X-Road client asked.
/// </summary>
public static class SampleRegistryHost
{
    public static WebApplication Build(string dataPath, int port, NodeHostSettings settings)
    {
        var data = JsonNode.Parse(File.ReadAllText(dataPath))?.AsObject() ?? throw new InvalidOperationException($"'{dataPath}' is empty.");
        var builder = NodeHost.CreateBuilder(settings, withGlobalConfiguration: false);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var options = new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        app.MapGet("/{collection}/{key}", (string collection, string key) =>
            data[collection]?[key] is { } record
                ? Results.Text(record.ToJsonString(options), "application/json; charset=utf-8")
                : Results.Json(new { error = "not found", collection, key }, statusCode: StatusCodes.Status404NotFound));
        app.MapPost("/{collection}/echo", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            return Results.Bytes(body.ToArray(), request.ContentType ?? "application/octet-stream");
        });
        return app;
    }
}
