using Broker.GlobalConfiguration.Model;

namespace Broker.Router.Transport;

/// <summary>
/// An authenticated, routed request envelope on its way to the provider's security server; <paramref name="ProviderSubsystem"/>
/// (<c>INSTANCE/CLASS/MEMBER/SUBSYSTEM</c>) keys it in a partitioned transport; <paramref name="Deferrable"/>: the client
/// asked (<c>X-Broker-Deferrable: true</c>, signed) that it be kept and delivered later if the provider is unreachable.
/// </summary>
public sealed record RoutedExchange(ReadOnlyMemory<byte> Envelope, SecurityServerEntry Provider, DateTimeOffset Deadline, int MaxResponseBytes, string ProviderSubsystem, bool Deferrable = false);

/// <summary>
/// What came back for an exchange: the provider's answer (an envelope or a fault) or the router's own fault.
/// A provider's answer stays in the pooled buffer it was read into; whoever writes it out disposes the result.
/// </summary>
public sealed record DeliveryResult(int StatusCode, string? ContentType, string? ErrorCode, ReadOnlyMemory<byte> Body, IDisposable? Owner = null) : IDisposable
{
    public void Dispose() => Owner?.Dispose();
}
