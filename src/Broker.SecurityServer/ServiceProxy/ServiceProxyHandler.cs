using System.Net.Http.Headers;
using Broker.Cryptography.Envelopes;
using Broker.Cryptography.Xml;
using Broker.GlobalConfiguration.Model;
using Broker.Hosting.Faults;
using Broker.Hosting.Http;
using Broker.Protocol.Envelopes;
using Broker.Protocol.Faults;
using Broker.Protocol.Identifiers;
using Broker.Protocol.Rest;
using Broker.SecurityServer.AccessControl;
using Broker.SecurityServer.Hosting;
using Broker.SecurityServer.MessageLog;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Broker.SecurityServer.ServiceProxy;

/// <summary>
/// The provider side: accepts a signed request envelope from the router, verifies it completely (signature,
/// signer's member, certificate chain, parts), checks access rights, calls the agency's service, and returns the
/// signed response bound to the request by its hash. Nothing reaches the service before the signature verifies.
/// </summary>
public sealed partial class ServiceProxyHandler(SecurityServerRuntime runtime, SecurityServerMessageLog messageLog, ILogger<ServiceProxyHandler> logger)
{
    /// <summary>Time kept back from the deadline so that a timeout fault still reaches the consumer.</summary>
    private static readonly TimeSpan s_deadlineMargin = TimeSpan.FromMilliseconds(500);

    public async Task HandleAsync(HttpContext context)
    {
        var fault = await ExchangeAsync(context);
        if (fault is not null)
        {
            LogFault(fault.Code, fault.Detail, fault.Message);
            await FaultResponse.WriteAsync(context, fault);
        }
    }

    private async Task<Fault?> ExchangeAsync(HttpContext context)
    {
        var configuration = runtime.Configuration.Current;
        var now = runtime.Time.GetUtcNow();
        if (configuration is null || configuration.IsExpired(now))
        {
            return FaultCodes.Create(FaultCodes.ServerProxyOutdatedGlobalConf, "The provider's security server has no valid global configuration.");
        }

        var peer = context.Connection.ClientCertificate;
        if (peer is null || !configuration.IsRouterCertificate(peer))
        {
            return FaultCodes.Create(FaultCodes.ServerProxySslAuthenticationFailed, "Only a router registered in the global configuration may deliver requests.");
        }

        using var body = await PooledBody.ReadAsync(context.Request, Envelope.MaxLength(runtime.MaxMessageBytes(configuration)), context.RequestAborted);
        if (body is null)
        {
            return FaultCodes.Create(FaultCodes.ServerProxyMessageTooLarge, "The request exceeds the message size limit.");
        }

        if (!Envelope.TryParse(body.Memory, out var parsed) || parsed.Value.Kind != EnvelopeKind.Request
            || !RestRequestHead.TryParse(parsed.Value.Head.Span, out var head))
        {
            return FaultCodes.Create(FaultCodes.ServerProxyInvalidMessage, "The request is not a well-formed signed envelope.");
        }

        var envelope = parsed.Value;
        if (!RestRequestTarget.TryParse(head.RawUri, out var target, out _)
            || !ClientId.TryParse(head.Headers.GetLast(XRoadHeaders.Client), out var client) || !client.IsSubsystem)
        {
            return FaultCodes.Create(FaultCodes.ServerProxyInvalidMessage, "The signed request names no valid client or service.");
        }

        if (!configuration.IsRegisteredSubsystem(client))
        {
            return FaultCodes.Create(FaultCodes.ServerProxyUnknownMember, $"Client {client} is not registered in the global configuration.");
        }

        var check = EnvelopeVerifier.Verify(envelope, client, configuration.Verifier);
        if (!check.IsValid)
        {
            return FaultCodes.Create(
                check.Signature.Failure == SignatureFailure.Certificate ? FaultCodes.ServerProxyCertValidation : FaultCodes.ServerProxySignatureVerification,
                "The request signature is invalid: " + check.Signature.Error);
        }

        var service = runtime.Clients.Contains(target.Service.Provider) ? runtime.AccessRights.Find(target.Service) : null;
        if (service is null)
        {
            return FaultCodes.Create(FaultCodes.ServerProxyUnknownService, $"Service {target.Service} is not provided by security server {runtime.ServerId}.");
        }

        if (!service.Allows(client, configuration))
        {
            return FaultCodes.Create(FaultCodes.ServerProxyAccessDenied, $"Client {client} may not use service {target.Service}.");
        }

        var deadline = HopHeaders.ReadDeadline(context.Request.Headers[HopHeaders.Deadline]) ?? now.AddSeconds(configuration.Document.Settings.DefaultTimeoutSeconds);
        var budget = deadline - now - s_deadlineMargin;
        if (budget > service.Options.Timeout)
        {
            budget = service.Options.Timeout;
        }

        if (budget <= TimeSpan.Zero)
        {
            return FaultCodes.Create(FaultCodes.ServerProxyTimeout, "The exchange's deadline passed before the service was called.");
        }

        var provider = target.Service.Provider;
        var messageId = head.Headers.GetLast(XRoadHeaders.Id) ?? "";
        if (messageId.Length > XRoadHeaders.MaxIdLength)
        {
            return FaultCodes.Create(FaultCodes.ServerProxyInvalidMessage, $"The signed {XRoadHeaders.Id} is longer than {XRoadHeaders.MaxIdLength} characters.");
        }

        if (messageLog.Admit(provider, clientSide: false) is { } notAdmitted)
        {
            return notAdmitted;
        }

        // the verified request's record rides with the response's (one group commit), or is written when the exchange
        // fails; the response leaves only once both are durable. The record points into the pooled body, so every path
        // waits for it (finally below).
        var requestLogged = messageLog.LogWithNext(provider, envelope, messageId, client, target.Service);
        try
        {
            var requestHash = RequestHash.FromDigests(check.HeadDigest, check.BodyDigest);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            timeout.CancelAfter(budget);
            using var backendRequest = BuildBackendRequest(head, service.BaseUrl, target, envelope.Body);
            try
            {
                using var response = await runtime.BackendClient.SendAsync(backendRequest, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                using var responseBody = await PooledBody.ReadAsync(
                    await response.Content.ReadAsStreamAsync(timeout.Token), response.Content.Headers.ContentLength, runtime.MaxMessageBytes(configuration), timeout.Token);
                if (responseBody is null)
                {
                    return FaultCodes.Create(FaultCodes.ServerProxyServiceFailed, "The service's response exceeds the message size limit.");
                }

                var responseHead = BuildResponseHead(response, client, target.Service, head, requestHash);
                var signed = await runtime.Signer.SignAsync(EnvelopeKind.Response, responseHead.Serialize(), responseBody.Memory);
                _ = Envelope.TryParse(signed.Bytes, out var answer);
                if (await messageLog.LogResponseAsync(provider, clientSide: false, requestLogged, answer!.Value, messageId, client, target.Service) is { } notLogged)
                {
                    return notLogged;
                }

                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = Envelope.MediaType;
                context.Response.ContentLength = signed.Bytes.Length;
                await context.Response.Body.WriteAsync(signed.Bytes, context.RequestAborted);
                return null;
            }
            catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
            {
                return FaultCodes.Create(FaultCodes.ServerProxyTimeout, $"Service {target.Service} did not answer within {budget.TotalSeconds:0.#} s.");
            }
            catch (HttpRequestException e)
            {
                return FaultCodes.Create(FaultCodes.ServerProxyServiceFailed, $"Service {target.Service} cannot be reached: {e.HttpRequestError}.");
            }
        }
        finally
        {
            if (!requestLogged.IsCompleted)
            {
                await messageLog.WhenLoggedAsync(requestLogged, clientSide: false, messageId);
            }
        }
    }

    private static HttpRequestMessage BuildBackendRequest(RestRequestHead head, Uri baseUrl, RestRequestTarget target, ReadOnlyMemory<byte> body)
    {
        var url = new Uri(baseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + target.ServicePath + target.Query, UriKind.Absolute);
        var request = new HttpRequestMessage(new HttpMethod(head.Method), url);
        if (!body.IsEmpty)
        {
            request.Content = new ReadOnlyMemoryContent(body);
        }

        foreach (var (name, value) in head.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content ??= new ReadOnlyMemoryContent(ReadOnlyMemory<byte>.Empty);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return request;
    }

    private static RestResponseHead BuildResponseHead(HttpResponseMessage response, ClientId client, ServiceId service, RestRequestHead request, string requestHash)
    {
        var headers = new HeaderList();
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (XRoadHeaders.IsForwardable(name) && !XRoadHeaders.SetOnResponse.Contains(name))
            {
                foreach (var value in values)
                {
                    headers.Add(name, value);
                }
            }
        }

        headers.Add("x-road-id", request.Headers.GetLast(XRoadHeaders.Id) ?? "");
        headers.Add("x-road-client", client.ToString());
        headers.Add("x-road-service", service.ToString());
        headers.Add("x-road-request-id", request.Headers.GetLast(XRoadHeaders.RequestId) ?? "");
        headers.Add("x-road-request-hash", requestHash);
        return new RestResponseHead((int)response.StatusCode, headers);
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Server proxy fault {Code} (detail {Detail}): {Message}")]
    private partial void LogFault(string code, string detail, string message);
}
