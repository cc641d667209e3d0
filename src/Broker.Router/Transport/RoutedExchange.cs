using Broker.GlobalConfiguration.Model;

namespace Broker.Router.Transport;

/// <summary>An authenticated, routed request envelope on its way to the provider's security server.</summary>
public sealed record RoutedExchange(ReadOnlyMemory<byte> Envelope, SecurityServerEntry Provider, DateTimeOffset Deadline, int MaxResponseBytes);

/// <summary>What came back for an exchange: the provider's answer (an envelope or a fault) or the router's own fault.</summary>
public sealed record DeliveryResult(int StatusCode, string? ContentType, string? ErrorCode, byte[] Body);
