using System.Threading.Channels;
using Broker.Protocol.Faults;
using Broker.Router.Delivery;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Broker.Router.Transport.Embedded;

/// <summary>
/// The default transport for one machine: a bounded in-process queue drained by a fixed set of delivery workers.
/// A full queue refuses new work at once (Server.Router.Overloaded) instead of letting latency grow without bound.
/// </summary>
public sealed class EmbeddedTransport : BackgroundService, IEnvelopeTransport
{
    private readonly Channel<WorkItem> _queue;
    private readonly ProviderDelivery _delivery;
    private readonly int _workers;

    public EmbeddedTransport(IOptions<RouterOptions> options, ProviderDelivery delivery)
    {
        _delivery = delivery;
        _workers = options.Value.DeliveryWorkers;
        _queue = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(options.Value.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = false,
            SingleWriter = false,
        });
    }

    public ValueTask<DeliveryResult> SendAsync(RoutedExchange exchange, CancellationToken cancellationToken)
    {
        var item = new WorkItem(exchange, cancellationToken);
        return _queue.Writer.TryWrite(item)
            ? new ValueTask<DeliveryResult>(item.Completion.Task)
            : ValueTask.FromResult(ProviderDelivery.Fault(FaultCodes.RouterOverloaded, "The router's delivery queue is full; retry later."));
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, _workers).Select(_ => WorkAsync(stoppingToken)));

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var item in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                if (item.CancellationToken.IsCancellationRequested)
                {
                    item.Completion.TrySetCanceled(item.CancellationToken);
                    continue;
                }

                try
                {
                    item.Completion.TrySetResult(await _delivery.DeliverAsync(item.Exchange, item.CancellationToken).ConfigureAwait(false));
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    item.Completion.TrySetException(e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private sealed record WorkItem(RoutedExchange Exchange, CancellationToken CancellationToken)
    {
        public TaskCompletionSource<DeliveryResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
