using Broker.GlobalConfiguration.Client;
using Broker.Hosting.Faults;
using Broker.Protocol.Faults;
using Broker.Protocol.Identifiers;
using Broker.Protocol.Rest;
using Broker.Router.State.Deferred;
using Microsoft.AspNetCore.Http;

namespace Broker.Router.Ingress;

/// <summary>
/// <c>GET /v1/deferred?client=…&amp;id=…</c>: the answer to a deferred exchange, for the security server that hosts the
/// client (its TLS certificate decides, as at the ingress). 200 with what the provider answered (a signed envelope
/// or a fault), 202 while there is no answer yet. The consumer's security server verifies the envelope.
/// </summary>
public sealed class DeferredFetchHandler(IGlobalConfigurationProvider configuration, IDeferredAnswers answers, TimeProvider time)
{
    public const string Path = "/v1/deferred";

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var snapshot = configuration.Current;
        if (snapshot is null || snapshot.IsExpired(time.GetUtcNow()))
        {
            await FaultResponse.WriteAsync(context, FaultCodes.Create(FaultCodes.RouterOutdatedGlobalConf, "The router has no valid global configuration."));
            return;
        }

        var certificate = context.Connection.ClientCertificate;
        var server = certificate is null ? null : snapshot.FindServerByAuthCertificate(certificate);
        string? clientText = context.Request.Query["client"];
        string? id = context.Request.Query["id"];
        if (server is null || !ClientId.TryParse(clientText, out var client) || string.IsNullOrEmpty(id) || !snapshot.Hosts(server, client))
        {
            await FaultResponse.WriteAsync(context, FaultCodes.Create(FaultCodes.RouterSslAuthenticationFailed, "Only the security server hosting the client may fetch its deferred answers."));
            return;
        }

        using var answer = await answers.FindAsync(client.ToString(), id, context.RequestAborted);
        if (answer is null)
        {
            context.Response.StatusCode = StatusCodes.Status202Accepted;
            return;
        }

        if (answer.ErrorCode is not null)
        {
            context.Response.Headers[XRoadHeaders.Error] = answer.ErrorCode;
        }

        context.Response.StatusCode = answer.StatusCode;
        context.Response.ContentType = answer.ContentType;
        context.Response.ContentLength = answer.Body.Length;
        await context.Response.Body.WriteAsync(answer.Body, context.RequestAborted);
    }
}
