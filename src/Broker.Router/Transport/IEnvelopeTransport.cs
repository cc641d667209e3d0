namespace Broker.Router.Transport;

/// <summary>Moves request envelopes to providers and their answers back to the waiting ingress.</summary>
public interface IEnvelopeTransport
{
    ValueTask<DeliveryResult> SendAsync(RoutedExchange exchange, CancellationToken cancellationToken);
}
