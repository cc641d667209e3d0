using System.Collections.Concurrent;
using Broker.Hosting.Faults;
using Broker.Protocol.Faults;
using Broker.Router.Delivery;
using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Broker.Router.Transport.Kafka;

/// <summary>
/// The ingress side of the Kafka transport: writes each request envelope to the requests topic (keyed by the provider
/// subsystem, with the deadline and this instance's reply partition in headers) and waits for its answer, which any
/// instance's <see cref="KafkaDeliveryWorker"/> writes to this instance's partition of the replies topic. Only this
/// instance reads that partition, so no instance reads every reply.
/// </summary>
public sealed partial class KafkaTransport : BackgroundService, IEnvelopeTransport
{
    private readonly KafkaTransportOptions _options;
    private readonly KafkaClients _clients;
    private readonly TimeProvider _time;
    private readonly ILogger<KafkaTransport> _logger;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<DeliveryResult>> _waiting = new(StringComparer.Ordinal);

    public KafkaTransport(IOptions<RouterOptions> options, KafkaClients clients, TimeProvider time, ILogger<KafkaTransport> logger)
    {
        _options = options.Value.Kafka;
        _clients = clients;
        _time = time;
        _logger = logger;
    }

    /// <summary>Exchanges waiting for their answer (for health output and tests).</summary>
    public int Waiting => _waiting.Count;

    public async ValueTask<DeliveryResult> SendAsync(RoutedExchange exchange, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        var correlation = Guid.NewGuid().ToString("N");
        var answer = new TaskCompletionSource<DeliveryResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[correlation] = answer;
        try
        {
            var headers = new Headers();
            KafkaRecordHeaders.Add(headers, KafkaRecordHeaders.Correlation, correlation);
            KafkaRecordHeaders.Add(headers, KafkaRecordHeaders.ReplyPartition, _options.ReplyPartition);
            KafkaRecordHeaders.Add(headers, KafkaRecordHeaders.Deadline, exchange.Deadline.ToUnixTimeMilliseconds());
            KafkaRecordHeaders.Add(headers, KafkaRecordHeaders.Provider, exchange.Provider.Id);
            KafkaRecordHeaders.Add(headers, KafkaRecordHeaders.MaxResponse, exchange.MaxResponseBytes);
            if (exchange.Deferrable)
            {
                KafkaRecordHeaders.Add(headers, KafkaRecordHeaders.Deferrable, "1");
            }
            var message = new Message<string, byte[]> { Key = exchange.ProviderSubsystem, Value = exchange.Envelope.ToArray(), Headers = headers };

            var budget = exchange.Deadline - _time.GetUtcNow();
            if (budget <= TimeSpan.Zero)
            {
                return ProviderDelivery.Fault(FaultCodes.RouterTimeout, "The exchange's deadline passed before it was queued.");
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(budget);
            try
            {
                await _clients.Producer.ProduceAsync(_options.RequestsTopic, message, timeout.Token).ConfigureAwait(false);
            }
            catch (ProduceException<string, byte[]> e)
            {
                LogProduceFailed(e.Error.Code, e.Error.Reason);
                return e.Error.Code == ErrorCode.MsgSizeTooLarge
                    ? ProviderDelivery.Fault(FaultCodes.RouterMessageTooLarge, "The envelope exceeds the transport's message size limit.")
                    : ProviderDelivery.Fault(FaultCodes.RouterTransportUnavailable, $"The request could not be queued: {e.Error.Code}.");
            }

            try
            {
                return await answer.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return ProviderDelivery.Fault(FaultCodes.RouterTimeout, $"No answer from the provider's security server {exchange.Provider.Id} before the deadline.");
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProviderDelivery.Fault(FaultCodes.RouterTimeout, "The exchange's deadline passed while it was being queued.");
        }
        finally
        {
            _waiting.TryRemove(correlation, out _);
        }
    }

    // this instance's reply partition, read from its end: earlier answers belong to exchanges no one waits for any more
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Factory.StartNew(
        () => ReadReplies(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void ReadReplies(CancellationToken stoppingToken)
    {
        using var consumer = _clients.CreateReplyConsumer();
        consumer.Assign(new TopicPartitionOffset(_options.RepliesTopic, _options.ReplyPartition, Offset.End));
        while (!stoppingToken.IsCancellationRequested)
        {
            ConsumeResult<string, byte[]>? record;
            try
            {
                record = consumer.Consume(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (ConsumeException e)
            {
                LogConsumeFailed(e.Error.Code, e.Error.Reason);
                continue;
            }

            var headers = record.Message.Headers;
            var correlation = KafkaRecordHeaders.GetString(headers, KafkaRecordHeaders.Correlation);
            if (correlation is not null && _waiting.TryRemove(correlation, out var waiter))
            {
                waiter.TrySetResult(new DeliveryResult(
                    (int)(KafkaRecordHeaders.GetLong(headers, KafkaRecordHeaders.Status) ?? 502),
                    KafkaRecordHeaders.GetString(headers, KafkaRecordHeaders.ContentType),
                    KafkaRecordHeaders.GetString(headers, KafkaRecordHeaders.Error),
                    record.Message.Value ?? []));
            }
        }

        consumer.Close();
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Kafka: writing a request failed ({Code}: {Reason})")]
    private partial void LogProduceFailed(ErrorCode code, string reason);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Kafka: reading replies failed ({Code}: {Reason})")]
    private partial void LogConsumeFailed(ErrorCode code, string reason);
}
