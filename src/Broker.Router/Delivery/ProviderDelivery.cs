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

namespace Broker.Router.Delivery;

/// <summary>Delivers an envelope to the provider's security server over mutual TLS, on pooled connections.</summary>
public sealed class ProviderDelivery : IDisposable
{
    /// <summary>Time kept back from the deadline so that the router's timeout fault still reaches the consumer.</summary>
    private static readonly TimeSpan s_deadlineMargin = TimeSpan.FromMilliseconds(250);
    private readonly ConcurrentDictionary<(string Id, string Address), HttpMessageInvoker> _clients = new();
    private readonly X509Certificate2 _routerCertificate;
    private readonly IGlobalConfigurationProvider _configuration;
    private readonly TimeProvider _time;

    public ProviderDelivery(X509Certificate2 routerCertificate, IGlobalConfigurationProvider configuration, TimeProvider time)
    {
        _routerCertificate = routerCertificate;
        _configuration = configuration;
        _time = time;
    }

    // One pooled client per provider security server: its TLS check accepts only the certificate registered to that
    // very server (a certificate of another registered server at this address is refused).
    private HttpMessageInvoker ClientFor(SecurityServerEntry provider) =>
        _clients.GetOrAdd((provider.Id, provider.Address), static (key, self) => new HttpMessageInvoker(
            NodeTls.CreateHandler(self._routerCertificate, self._configuration, c => self._configuration.Current?.FindServerByAuthCertificate(c)?.Id == key.Id)),
            this);

    public async Task<DeliveryResult> DeliverAsync(Transport.RoutedExchange exchange, CancellationToken cancellationToken)
    {
        var budget = exchange.Deadline - _time.GetUtcNow() - s_deadlineMargin;
        if (budget <= TimeSpan.Zero)
        {
            return Fault(FaultCodes.RouterTimeout, "The exchange's deadline passed before delivery.");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(budget);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(exchange.Provider.Address), HopHeaders.ExchangePath))
        {
            Content = new ReadOnlyMemoryContent(exchange.Envelope),
            Version = System.Net.HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(Envelope.MediaType);
        request.Headers.TryAddWithoutValidation(HopHeaders.Deadline, HopHeaders.FormatDeadline(exchange.Deadline));
        try
        {
            using var response = await ClientFor(exchange.Provider).SendAsync(request, timeout.Token).ConfigureAwait(false);
            var body = await PooledBody.ReadAsync(
                await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false),
                response.Content.Headers.ContentLength, exchange.MaxResponseBytes, timeout.Token).ConfigureAwait(false);
            if (body is null)
            {
                return Fault(FaultCodes.RouterMessageTooLarge, "The provider's response exceeds the message size limit.");
            }

            var error = response.Headers.TryGetValues(XRoadHeaders.Error, out var codes) ? codes.First() : null;
            return new DeliveryResult((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), error, body.Memory, body);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Fault(FaultCodes.RouterTimeout, $"The provider's security server {exchange.Provider.Id} did not answer before the deadline.");
        }
        catch (HttpRequestException e)
        {
            return Fault(FaultCodes.RouterNetworkError, $"The provider's security server {exchange.Provider.Id} cannot be reached: {e.HttpRequestError}.");
        }
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
