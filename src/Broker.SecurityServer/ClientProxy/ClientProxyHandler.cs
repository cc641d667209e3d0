using System.Net.Http.Headers;
using Broker.Cryptography.Envelopes;
using Broker.Cryptography.Xml;
using Broker.GlobalConfiguration.Model;
using Broker.Hosting.Faults;
using Broker.Hosting.Http;
using Broker.MessageLog.Writing;
using Broker.Protocol.Envelopes;
using Broker.Protocol.Faults;
using Broker.Protocol.Identifiers;
using Broker.Protocol.Rest;
using Broker.SecurityServer.Hosting;
using Broker.SecurityServer.MessageLog;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Broker.SecurityServer.ClientProxy;

/// <summary>
/// The consumer side: takes an X-Road REST r1 request from the agency's information system, signs it, sends it
/// through the router, verifies the provider's signed response and its binding to the request, and returns it.
/// </summary>
public sealed partial class ClientProxyHandler(SecurityServerRuntime runtime, DeferredExchanges deferred, SecurityServerMessageLog messageLog, ILogger<ClientProxyHandler> logger)
{
    /// <summary>Where the information system fetches a deferred answer: <c>GET /deferred/{X-Road-Id}</c> with <c>X-Road-Client</c>.</summary>
    public const string DeferredPath = "/deferred/";

    public async Task HandleAsync(HttpContext context)
    {
        var fault = await ExchangeAsync(context);
        if (fault is not null)
        {
            LogFault(fault.Code, fault.Detail, fault.Message);
            await FaultResponse.WriteAsync(context, fault);
        }
    }

    private int _nextRouter = -1;

    private async Task<Fault?> ExchangeAsync(HttpContext context)
    {
        var request = context.Request;
        var rawUri = request.Path.ToUriComponent() + request.QueryString.ToUriComponent();
        if (!RestRequestTarget.TryParse(rawUri, out var target, out var fault))
        {
            return fault;
        }

        var clientHeader = request.Headers[XRoadHeaders.Client];
        if (clientHeader.Count == 0 || string.IsNullOrEmpty(clientHeader[^1]))
        {
            return FaultCodes.Create(FaultCodes.MissingHeader, $"The {XRoadHeaders.Client} header is required.");
        }

        // PR-REST: when the header is repeated, the last one counts
        if (!ClientId.TryParse(clientHeader[^1], out var client) || !client.IsSubsystem)
        {
            return FaultCodes.Create(FaultCodes.InvalidClientIdentifier, $"{XRoadHeaders.Client} must be INSTANCE/CLASS/MEMBER/SUBSYSTEM with percent-encoded parts of letters, digits and '()+,-.=?.");
        }

        if (!runtime.Clients.Contains(client))
        {
            return FaultCodes.Create(FaultCodes.UnknownClient, $"Client {client} is not registered on security server {runtime.ServerId}.");
        }

        var configuration = runtime.Configuration.Current;
        var now = runtime.Time.GetUtcNow();
        if (configuration is null || configuration.IsExpired(now))
        {
            return FaultCodes.Create(FaultCodes.ClientProxyOutdatedGlobalConf, configuration is null
                ? "No global configuration has been received yet."
                : $"The global configuration (version {configuration.Document.Version}) expired at {configuration.Document.ExpiresAt:O}.");
        }

        if (!configuration.IsRegisteredSubsystem(client))
        {
            return FaultCodes.Create(FaultCodes.UnknownClient, $"Client {client} is not a registered subsystem in the global configuration.");
        }

        if (configuration.FindServerHosting(target.Service.Provider) is null)
        {
            return FaultCodes.Create(FaultCodes.ClientProxyUnknownService, $"No security server in the global configuration serves {target.Service.Provider}.");
        }

        var routers = configuration.Document.Routers;
        if (routers.Count == 0)
        {
            return FaultCodes.Create(FaultCodes.ClientProxyNetworkError, "The global configuration lists no router.");
        }

        if (messageLog.Admit(client, clientSide: true) is { } notAdmitted)
        {
            return notAdmitted;
        }

        var maxBytes = runtime.MaxMessageBytes(configuration);
        using var body = await PooledBody.ReadAsync(request, maxBytes, context.RequestAborted);
        if (body is null)
        {
            return FaultCodes.Create(FaultCodes.MessageTooLarge, $"The request body exceeds {maxBytes} bytes.");
        }

        var head = BuildHead(request, rawUri, configuration, out var messageId, out var requestId);
        if (messageId.Length > XRoadHeaders.MaxIdLength)
        {
            return FaultCodes.Create(FaultCodes.BadRequest, $"{XRoadHeaders.Id} is longer than {XRoadHeaders.MaxIdLength} characters.");
        }

        var signed = await runtime.Signer.SignAsync(EnvelopeKind.Request, head.Serialize(), body.Memory);
        var requestHash = RequestHash.FromDigests(signed.HeadDigest, signed.BodyDigest);

        // the request record rides with the response record (one group commit), or is written when the exchange ends
        // otherwise; the information system hears of the exchange only after it is durable
        _ = Envelope.TryParse(signed.Bytes, out var sent);
        var requestLogged = messageLog.LogWithNext(client, sent!.Value, messageId, client, target.Service);
        try
        {
            var deadline = now.AddSeconds(configuration.Document.Settings.DefaultTimeoutSeconds);

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            timeout.CancelAfter(deadline - now);

            // one deadline and one fault mapping for sending the envelope and reading the answer
            var first = (int)((uint)Interlocked.Increment(ref _nextRouter) % (uint)routers.Count);
            for (var attempt = 0; ; attempt++)
            {
                // router instances in turn; the next one only when this one could not even be connected to (nothing sent)
                var router = routers[(first + attempt) % routers.Count];
                using var routed = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(router.Address), HopHeaders.ExchangePath))
                {
                    Content = new ByteArrayContent(signed.Bytes),
                    Version = System.Net.HttpVersion.Version20,
                    VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                };
                routed.Content.Headers.ContentType = new MediaTypeHeaderValue(Envelope.MediaType);
                routed.Headers.TryAddWithoutValidation(HopHeaders.Deadline, HopHeaders.FormatDeadline(deadline));
                try
                {
                    using var response = await runtime.RouterClient.SendAsync(routed, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                    using var answer = await PooledBody.ReadAsync(
                        await response.Content.ReadAsStreamAsync(timeout.Token), response.Content.Headers.ContentLength, Envelope.MaxLength(maxBytes), timeout.Token);
                    if (answer is null)
                    {
                        return FaultCodes.Create(FaultCodes.ClientProxyInvalidResponse, "The response exceeds the message size limit.");
                    }

                    // a fault passed on or a deferred 202 ends the exchange here, without a response record: the request
                    // record is durable before the information system hears either, or the exchange fails
                    if ((response.Headers.Contains(XRoadHeaders.Error) || response.StatusCode == System.Net.HttpStatusCode.Accepted)
                        && await messageLog.WhenLoggedAsync(requestLogged, clientSide: true, messageId) is { } notLogged)
                    {
                        return notLogged;
                    }

                    if (await PassOnFaultAsync(context, response, answer.Memory))
                    {
                        return null;
                    }

                    if (response.StatusCode == System.Net.HttpStatusCode.Accepted)
                    {
                        // deferred (X-Broker-Deferrable): the router keeps the request; the answer is fetched by its id
                        deferred.Remember(messageId, client, target.Service, requestId, requestHash);
                        context.Response.StatusCode = StatusCodes.Status202Accepted;
                        context.Response.Headers[XRoadHeaders.Id] = messageId;
                        context.Response.Headers[XRoadHeaders.RequestId] = requestId;
                        context.Response.Headers[XRoadHeaders.Client] = client.ToString();
                        context.Response.Headers[XRoadHeaders.Service] = target.Service.ToString();
                        context.Response.Headers.Location = DeferredPath + Uri.EscapeDataString(messageId);
                        context.Response.ContentType = "application/json";
                        await context.Response.Body.WriteAsync(answer.Memory, context.RequestAborted);
                        return null;
                    }

                    return await DeliverResponseAsync(context, configuration, answer.Memory, target.Service, client, messageId, requestId, requestHash, requestLogged);
                }
                catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConnectionError && attempt + 1 < routers.Count)
                {
                    LogRouterUnreachable(router.Address);
                }
                catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
                {
                    return FaultCodes.Create(FaultCodes.ClientProxyTimeout, $"No response within {configuration.Document.Settings.DefaultTimeoutSeconds} s.");
                }
                catch (HttpRequestException e)
                {
                    return FaultCodes.Create(FaultCodes.ClientProxyNetworkError, $"The exchange with the router at {router.Address} failed: {e.HttpRequestError}.");
                }
            }
        }
        finally
        {
            if (!requestLogged.IsCompleted)
            {
                await messageLog.WhenLoggedAsync(requestLogged, clientSide: true, messageId);
            }
        }
    }

    /// <summary><c>GET /deferred/{X-Road-Id}</c>: the verified answer to a deferred request, or 202 while there is none yet.</summary>
    public async Task FetchDeferredAsync(HttpContext context)
    {
        var fault = await FetchAsync(context);
        if (fault is not null)
        {
            LogFault(fault.Code, fault.Detail, fault.Message);
            await FaultResponse.WriteAsync(context, fault);
        }
    }

    private async Task<Fault?> FetchAsync(HttpContext context)
    {
        var messageId = Uri.UnescapeDataString(context.Request.Path.Value![DeferredPath.Length..]);
        var clientHeader = context.Request.Headers[XRoadHeaders.Client];
        if (clientHeader.Count == 0 || !ClientId.TryParse(clientHeader[^1], out var client) || !client.IsSubsystem)
        {
            return FaultCodes.Create(FaultCodes.MissingHeader, $"The {XRoadHeaders.Client} header naming the client that sent the deferred request is required.");
        }

        var exchange = deferred.Find(messageId, client);
        var configuration = runtime.Configuration.Current;
        if (exchange is null)
        {
            return FaultCodes.Create(FaultCodes.ClientProxyUnknownDeferred, $"No deferred request {messageId} of client {client} is known here (or it expired).");
        }

        if (configuration is null || configuration.IsExpired(runtime.Time.GetUtcNow()))
        {
            return FaultCodes.Create(FaultCodes.ClientProxyOutdatedGlobalConf, "The global configuration is missing or expired.");
        }

        var routers = configuration.Document.Routers;
        var router = routers[(int)((uint)Interlocked.Increment(ref _nextRouter) % (uint)routers.Count)];
        var uri = new Uri(new Uri(router.Address), $"/v1/deferred?client={Uri.EscapeDataString(client.ToString())}&id={Uri.EscapeDataString(messageId)}");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(TimeSpan.FromSeconds(configuration.Document.Settings.DefaultTimeoutSeconds));
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri) { Version = System.Net.HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
            using var response = await runtime.RouterClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var maxBytes = runtime.MaxMessageBytes(configuration);
            using var answer = await PooledBody.ReadAsync(
                await response.Content.ReadAsStreamAsync(timeout.Token), response.Content.Headers.ContentLength, Envelope.MaxLength(maxBytes), timeout.Token);
            if (answer is null)
            {
                return FaultCodes.Create(FaultCodes.ClientProxyInvalidResponse, "The response exceeds the message size limit.");
            }

            if (response.StatusCode == System.Net.HttpStatusCode.Accepted)
            {
                context.Response.StatusCode = StatusCodes.Status202Accepted; // not delivered yet
                context.Response.Headers[XRoadHeaders.Id] = messageId;
                return null;
            }

            if (await PassOnFaultAsync(context, response, answer.Memory))
            {
                return null;
            }

            // the same checks as for an immediate answer: signature, signer, and binding to this very request
            return await DeliverResponseAsync(context, configuration, answer.Memory, exchange.Service, client, messageId, exchange.RequestId, exchange.RequestHash, requestLogged: default);
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            return FaultCodes.Create(FaultCodes.ClientProxyTimeout, "The router did not answer in time.");
        }
        catch (HttpRequestException e)
        {
            return FaultCodes.Create(FaultCodes.ClientProxyNetworkError, $"Fetching from the router at {router.Address} failed: {e.HttpRequestError}.");
        }
    }

    // a fault from the router or the provider's security server is passed on as it came
    private static async Task<bool> PassOnFaultAsync(HttpContext context, HttpResponseMessage response, ReadOnlyMemory<byte> body)
    {
        if (!response.Headers.TryGetValues(XRoadHeaders.Error, out var codes))
        {
            return false;
        }

        context.Response.StatusCode = (int)response.StatusCode;
        context.Response.Headers[XRoadHeaders.Error] = codes.First();
        context.Response.ContentType = FaultResponse.ContentType;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
        return true;
    }

    private static RestRequestHead BuildHead(HttpRequest request, string rawUri, GlobalConfigurationSnapshot configuration, out string messageId, out string requestId)
    {
        var headers = new HeaderList(request.Headers.Count + 2);
        foreach (var (name, values) in request.Headers)
        {
            if (XRoadHeaders.IsForwardable(name) && !XRoadHeaders.SetByBus.Contains(name))
            {
                foreach (var value in values)
                {
                    headers.Add(name, value ?? "");
                }
            }
        }

        requestId = Guid.NewGuid().ToString("D");
        headers.Add("x-road-request-id", requestId);
        messageId = headers.GetLast(XRoadHeaders.Id) ?? "";
        if (messageId.Length == 0)
        {
            headers.RemoveAll(XRoadHeaders.Id);
            messageId = configuration.Document.InstanceIdentifier + "-" + Guid.NewGuid().ToString("D");
            headers.Add("x-road-id", messageId);
        }

        return new RestRequestHead(request.Method, rawUri, headers);
    }

    private async Task<Fault?> DeliverResponseAsync(
        HttpContext context, GlobalConfigurationSnapshot configuration, ReadOnlyMemory<byte> bytes,
        ServiceId service, ClientId client, string messageId, string requestId, string requestHash, RecordTicket requestLogged)
    {
        if (!Envelope.TryParse(bytes, out var envelope) || envelope.Value.Kind != EnvelopeKind.Response
            || !RestResponseHead.TryParse(envelope.Value.Head.Span, out var head))
        {
            return FaultCodes.Create(FaultCodes.ClientProxyInvalidResponse, "The provider's response is not a well-formed signed envelope.");
        }

        var check = EnvelopeVerifier.Verify(envelope.Value, service.Provider, configuration.Verifier);
        if (!check.IsValid)
        {
            return FaultCodes.Create(
                check.Signature.Failure == SignatureFailure.Certificate ? FaultCodes.ClientProxyCertValidation : FaultCodes.ClientProxySignatureVerification,
                "The provider's response signature is invalid: " + check.Signature.Error);
        }

        // the response must answer this very request (PR-REST: the consumer verifies the request hash)
        if (head.Headers.GetLast(XRoadHeaders.RequestHash) != requestHash
            || head.Headers.GetLast(XRoadHeaders.Id) != messageId
            || head.Headers.GetLast(XRoadHeaders.RequestId) != requestId
            || head.Headers.GetLast(XRoadHeaders.Client) != client.ToString()
            || head.Headers.GetLast(XRoadHeaders.Service) != service.ToString())
        {
            return FaultCodes.Create(FaultCodes.ClientProxyInconsistentResponse, "The signed response does not answer this request (request hash or identifiers differ).");
        }

        // the information system sees the response only once both records are evidence
        if (await messageLog.LogResponseAsync(client, clientSide: true, requestLogged, envelope.Value, messageId, client, service) is { } notLogged)
        {
            return notLogged;
        }

        var response = context.Response;
        response.StatusCode = head.StatusCode;
        foreach (var (name, value) in head.Headers)
        {
            response.Headers.Append(name, value);
        }

        response.ContentLength = envelope.Value.Body.Length;
        await response.Body.WriteAsync(envelope.Value.Body, context.RequestAborted);
        return null;
    }

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Router instance {Address} cannot be reached; trying the next one")]
    private partial void LogRouterUnreachable(string address);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Client proxy fault {Code} (detail {Detail}): {Message}")]
    private partial void LogFault(string code, string detail, string message);
}
