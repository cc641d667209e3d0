using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using Broker.GlobalConfiguration.Client;
using Broker.GlobalConfiguration.Model;
using Broker.Hosting.Faults;
using Broker.Hosting.Http;
using Broker.Hosting.Tls;
using Broker.Protocol.Envelopes;
using Broker.Protocol.Faults;
using Broker.Protocol.Rest;
using Broker.Router.Transport;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Broker.Router.Delivery;

/// <summary>
/// Delivers an envelope to the provider's security server over mutual TLS, on pooled connections, through that
/// server's resilience pipeline (deadline, retries of attempts that sent nothing, circuit breaker).
/// </summary>
public sealed class ProviderDelivery : IDisposable
{
    /// <summary>Time kept back from the deadline so that the router's timeout fault still reaches the consumer.</summary>
    private static readonly TimeSpan s_deadlineMargin = TimeSpan.FromMilliseconds(250);
    private readonly ConcurrentDictionary<(string Id, string Address), HttpMessageInvoker> _clients = new();
    private readonly X509Certificate2 _routerCertificate;
    private readonly IGlobalConfigurationProvider _configuration;
    private readonly TimeProvider _time;
    private readonly DeliveryPipelines _pipelines;

    public ProviderDelivery(X509Certificate2 routerCertificate, IGlobalConfigurationProvider configuration, TimeProvider time, DeliveryPipelines pipelines)
    {
        _routerCertificate = routerCertificate;
        _configuration = configuration;
        _time = time;
        _pipelines = pipelines;
    }

    // One pooled client per provider security server: its TLS check accepts only the certificate registered to that
    // very server (a certificate of another registered server at this address is refused).
    private HttpMessageInvoker ClientFor(SecurityServerEntry provider) =>
        _clients.GetOrAdd((provider.Id, provider.Address), static (key, self) => new HttpMessageInvoker(
            NodeTls.CreateHandler(self._routerCertificate, self._configuration, c => self._configuration.Current?.FindServerByAuthCertificate(c)?.Id == key.Id)),
            this);

    /// <summary>
    /// Delivers through the provider's pipeline (<see cref="DeliveryPipelines"/>): the exchange's deadline, retries of
    /// attempts that sent nothing, and the provider's circuit breaker. Every expected failure is a fault result.
    /// </summary>
    public async Task<DeliveryResult> DeliverAsync(Transport.RoutedExchange exchange, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        var giveUpAt = exchange.Deadline - s_deadlineMargin;
        if (giveUpAt <= _time.GetUtcNow())
        {
            return Fault(FaultCodes.RouterTimeout, "The exchange's deadline passed before delivery.");
        }

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(DeliveryPipelines.GiveUpAt, giveUpAt);
        try
        {
            return await _pipelines.For(exchange.Provider.Id).ExecuteAsync(
                static (context, state) => state.Self.AttemptAsync(state.Exchange, context.CancellationToken),
                context,
                (Self: this, Exchange: exchange)).ConfigureAwait(false);
        }
        catch (BrokenCircuitException e)
        {
            var retryAfter = e.RetryAfter is { } after ? $" for about {Math.Ceiling(after.TotalSeconds)} s" : "";
            return Fault(FaultCodes.RouterCircuitOpen, $"Delivery to the provider's security server {exchange.Provider.Id} is suspended{retryAfter} after repeated failures; nothing was sent.");
        }
        catch (TimeoutRejectedException)
        {
            return Fault(FaultCodes.RouterTimeout, $"The provider's security server {exchange.Provider.Id} did not answer before the deadline.");
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // SocketsHttpHandler reports its ConnectTimeout as a cancellation carrying a TimeoutException
            return e.InnerException is TimeoutException
                ? Fault(FaultCodes.RouterNetworkError, $"The provider's security server {exchange.Provider.Id} cannot be reached: connect timeout.")
                : Fault(FaultCodes.RouterTimeout, $"The provider's security server {exchange.Provider.Id} did not answer before the deadline.");
        }
        catch (HttpRequestException e)
        {
            return Fault(FaultCodes.RouterNetworkError, $"The provider's security server {exchange.Provider.Id} cannot be reached: {e.HttpRequestError}.");
        }
        catch (IOException)
        {
            return Fault(FaultCodes.RouterNetworkError, $"The connection to the provider's security server {exchange.Provider.Id} broke while reading its answer.");
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>One attempt: a new request with the same bytes; its answer is read whole into a pooled buffer.</summary>
    private async ValueTask<DeliveryResult> AttemptAsync(Transport.RoutedExchange exchange, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(exchange.Provider.Address), HopHeaders.ExchangePath))
        {
            Content = new ReadOnlyMemoryContent(exchange.Envelope),
            Version = System.Net.HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(Envelope.MediaType);
        request.Headers.TryAddWithoutValidation(HopHeaders.Deadline, HopHeaders.FormatDeadline(exchange.Deadline));
        using var response = await ClientFor(exchange.Provider).SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await PooledBody.ReadAsync(
            await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false),
            response.Content.Headers.ContentLength, exchange.MaxResponseBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return Fault(FaultCodes.RouterMessageTooLarge, "The provider's response exceeds the message size limit.");
        }

        var error = response.Headers.TryGetValues(XRoadHeaders.Error, out var codes) ? codes.First() : null;
        return new DeliveryResult((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), error, body.Memory, body);
    }

    public static DeliveryResult Fault(string code, string message)
    {
        var fault = FaultCodes.Create(code, message);
        return new DeliveryResult(fault.HttpStatus, FaultResponse.ContentType, fault.Code, FaultResponse.Serialize(fault));
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
    }
}
