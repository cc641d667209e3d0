using System.Text.Json;
using Broker.Protocol.Faults;
using Broker.Protocol.Rest;
using Microsoft.AspNetCore.Http;

namespace Broker.Hosting.Faults;

/// <summary>Writes a bus error as PR-REST defines it: the status, <c>X-Road-Error: code</c>, and <c>{type, message, detail}</c>.</summary>
public static class FaultResponse
{
    public const string ContentType = "application/json; charset=utf-8";

    public static async Task WriteAsync(HttpContext context, Fault fault)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(fault);
        if (context.Response.HasStarted)
        {
            context.Abort();
            return;
        }

        context.Response.Clear();
        context.Response.StatusCode = fault.HttpStatus;
        context.Response.Headers[XRoadHeaders.Error] = fault.Code;
        context.Response.ContentType = ContentType;
        await context.Response.Body.WriteAsync(Serialize(fault), context.RequestAborted);
    }

    public static byte[] Serialize(Fault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        using var buffer = new MemoryStream(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", fault.Code);
            json.WriteString("message", fault.Message);
            json.WriteString("detail", fault.Detail);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
