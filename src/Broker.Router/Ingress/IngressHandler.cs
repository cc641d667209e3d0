using Broker.GlobalConfiguration.Client;
using Broker.Hosting.Http;
using Broker.Protocol.Envelopes;
using Broker.Protocol.Faults;
using Broker.Protocol.Identifiers;
using Broker.Protocol.Rest;
using Broker.Router.Delivery;
using Broker.Router.State;
using Broker.Router.Transport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Broker.Router.Ingress;

/// <summary>
/// Accepts request envelopes from security servers: the TLS certificate must be registered to a security server
/// that hosts the client named in the envelope; the provider's security server is looked up in the global
/// configuration; the envelope is handed to the transport unchanged (the router never alters signed bytes).
/// </summary>
public sealed partial class IngressHandler(
    IGlobalConfigurationProvider configuration,
    IEnvelopeTransport transport,
    ExchangeAdmission admission,
    IOptions<RouterOptions> options,
    TimeProvider time,
    ILogger<IngressHandler> logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        using var result = await RouteAsync(context);
        if (result.ErrorCode is not null)
        {
            LogFault(result.ErrorCode, result.StatusCode);
            context.Response.Headers[XRoadHeaders.Error] = result.ErrorCode;
        }

        context.Response.StatusCode = result.StatusCode;
        context.Response.ContentType = result.ContentType;
        context.Response.ContentLength = result.Body.Length;
        await context.Response.Body.WriteAsync(result.Body, context.RequestAborted);
    }

    private async Task<DeliveryResult> RouteAsync(HttpContext context)
    {
        var snapshot = configuration.Current;
        var now = time.GetUtcNow();
        if (snapshot is null || snapshot.IsExpired(now))
        {
            return ProviderDelivery.Fault(FaultCodes.RouterOutdatedGlobalConf, "The router has no valid global configuration.");
        }

        var certificate = context.Connection.ClientCertificate;
        var server = certificate is null ? null : snapshot.FindServerByAuthCertificate(certificate);
        if (server is null)
        {
            return ProviderDelivery.Fault(FaultCodes.RouterSslAuthenticationFailed, "The TLS certificate is not registered to any security server.");
        }

        var limit = Math.Min(options.Value.MaxMessageBytes, Envelope.MaxLength(snapshot.Document.Settings.MaxMessageBytes));
        using var body = await PooledBody.ReadAsync(context.Request, limit, context.RequestAborted);
        if (body is null)
        {
            return ProviderDelivery.Fault(FaultCodes.RouterMessageTooLarge, $"The envelope exceeds {limit} bytes.");
        }

        if (!Envelope.TryReadHead(body.Memory.Span, out var kind, out var headBytes) || kind != EnvelopeKind.Request
            || !RestRequestHead.TryParse(headBytes, out var head)
            || !ClientId.TryParse(head.Headers.GetLast(XRoadHeaders.Client), out var client))
        {
            return ProviderDelivery.Fault(FaultCodes.RouterInvalidMessage, "The request is not a well-formed envelope naming its client.");
        }

        if (!snapshot.Hosts(server, client))
        {
            return ProviderDelivery.Fault(FaultCodes.RouterSslAuthenticationFailed, $"Security server {server.Id} is not registered for client {client}.");
        }

        if (!RestRequestTarget.TryParse(head.RawUri, out var target, out _))
        {
            return ProviderDelivery.Fault(FaultCodes.RouterInvalidMessage, "The envelope names no valid service.");
        }

        var provider = snapshot.FindServerHosting(target.Service.Provider);
        if (provider is null)
        {
            return ProviderDelivery.Fault(FaultCodes.RouterUnknownService, $"No security server serves {target.Service.Provider}.");
        }

        // rate limit, then replay guard (docs/operations.md, "Router state")
        if (await admission.AdmitAsync(client, head.Headers.GetLast(XRoadHeaders.Id), context.RequestAborted) is { } refusal)
        {
            return ProviderDelivery.Fault(refusal.Code, refusal.Message);
        }

        var deadline = HopHeaders.ReadDeadline(context.Request.Headers[HopHeaders.Deadline])
            ?? now.AddSeconds(snapshot.Document.Settings.DefaultTimeoutSeconds);
        var exchange = new RoutedExchange(body.Memory, provider, deadline, limit, target.Service.Provider.ToString(),
            string.Equals(head.Headers.GetLast(XRoadHeaders.BrokerDeferrable), "true", StringComparison.OrdinalIgnoreCase));
        return await transport.SendAsync(exchange, context.RequestAborted);
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Router fault {Code} (HTTP {Status})")]
    private partial void LogFault(string code, int status);
}
