using System.Text;
using Broker.GlobalConfiguration.Client;
using Broker.Protocol.Envelopes;
using Broker.Protocol.Faults;
using Broker.Protocol.Rest;
using Broker.Router.Delivery;
using Broker.Router.State.Deferred;
using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Broker.Router.Transport.Kafka;

/// <summary>
/// Delivers deferred requests (Broker's extension to X-Road): records of the deferred topic, one at a time per
/// instance in the consumer group, each tried until its provider's security server answers or the retention ends.
/// The answer is stored for the consumer's security server to fetch by client and message id; the record's offset is
/// committed only after that. Only "could not connect" is retried, so a provider never receives a request twice
/// from here (a delivery cut off after sending is answered with its fault, not retried).
/// </summary>
public sealed partial class KafkaDeferredWorker : BackgroundService
{
    private static readonly byte[] s_acceptedBody = Encoding.UTF8.GetBytes("{\"status\":\"deferred\"}");
    private readonly KafkaTransportOptions _options;
    private readonly KafkaClients _clients;
    private readonly ProviderDelivery _delivery;
    private readonly IGlobalConfigurationProvider _configuration;
    private readonly IDeferredAnswers _answers;
    private readonly KafkaAudit _audit;
    private readonly TimeProvider _time;
    private readonly ILogger<KafkaDeferredWorker> _logger;

    public KafkaDeferredWorker(
        IOptions<RouterOptions> options, KafkaClients clients, ProviderDelivery delivery, IGlobalConfigurationProvider configuration,
        IDeferredAnswers answers, KafkaAudit audit, TimeProvider time, ILogger<KafkaDeferredWorker> logger)
    {
        _audit = audit;
        _options = options.Value.Kafka;
        _clients = clients;
        _delivery = delivery;
        _configuration = configuration;
        _answers = answers;
        _time = time;
        _logger = logger;
    }

    /// <summary>The provider's security server could not be reached at all (nothing was sent).</summary>
    public static bool IsUnreachable(DeliveryResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.ErrorCode is FaultCodes.RouterNetworkError or FaultCodes.RouterCircuitOpen && result.Owner is null;
    }

    /// <summary>The router's answer to a request it keeps for later delivery.</summary>
    public static DeliveryResult Accepted() => new(202, "application/json", null, s_acceptedBody);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Factory.StartNew(
        () => Consume(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Consume(CancellationToken stoppingToken)
    {
        using var consumer = _clients.CreateConsumer(_options.DeferredGroup);
        consumer.Subscribe(_options.DeferredTopic);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                ConsumeResult<string, byte[]>? record;
                try
                {
                    record = consumer.Consume(stoppingToken);
                }
                catch (ConsumeException e)
                {
                    LogConsumeFailed(e.Error.Code, e.Error.Reason);
                    continue;
                }

                if (DeliverUntilAnsweredAsync(record, stoppingToken).GetAwaiter().GetResult())
                {
                    consumer.Commit([new TopicPartitionOffset(record.TopicPartition, record.Offset + 1)]);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (KafkaException e)
        {
            LogConsumeFailed(e.Error.Code, e.Error.Reason);
        }

        consumer.Close();
    }

    // true when the record is done with (answered, or given up and answered with a fault)
    private async Task<bool> DeliverUntilAnsweredAsync(ConsumeResult<string, byte[]> record, CancellationToken stoppingToken)
    {
        var headers = record.Message.Headers;
        var providerId = KafkaRecordHeaders.GetString(headers, KafkaRecordHeaders.Provider);
        var maxResponse = (int)(KafkaRecordHeaders.GetLong(headers, KafkaRecordHeaders.MaxResponse) ?? 0);
        if (providerId is null || record.Message.Value is null || !Envelope.TryReadHead(record.Message.Value, out _, out var headBytes)
            || !RestRequestHead.TryParse(headBytes, out var head)
            || head.Headers.GetLast(XRoadHeaders.Client) is not { } client || head.Headers.GetLast(XRoadHeaders.Id) is not { } messageId)
        {
            LogMalformed(record.TopicPartitionOffset.ToString());
            return true;
        }

        var giveUpAt = record.Message.Timestamp.UtcDateTime + _options.DeferredRetention;
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = _time.GetUtcNow();
            var configuration = _configuration.Current;
            if (now >= giveUpAt)
            {
                await StoreAsync(client, messageId, ProviderDelivery.Fault(FaultCodes.RouterTimeout, "The deferred request could not be delivered within its retention."), stoppingToken).ConfigureAwait(false);
                return true;
            }

            if (configuration?.Document.SecurityServers.FirstOrDefault(s => s.Id == providerId) is not { } provider)
            {
                await StoreAsync(client, messageId, ProviderDelivery.Fault(FaultCodes.RouterUnknownService, $"The provider's security server {providerId} is no longer in the global configuration."), stoppingToken).ConfigureAwait(false);
                return true;
            }

            var deadline = now.AddSeconds(configuration.Document.Settings.DefaultTimeoutSeconds);
            DeliveryResult result;
            try
            {
                result = await _delivery.DeliverAsync(new RoutedExchange(record.Message.Value, provider, deadline, maxResponse, record.Message.Key), stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return false;
            }

            using (result)
            {
                if (!IsUnreachable(result))
                {
                    await _audit.WriteAsync(KafkaRecordHeaders.GetString(headers, KafkaRecordHeaders.Correlation) ?? messageId, providerId, record.Message.Key, record.Message.Value, result).ConfigureAwait(false);
                    await StoreAsync(client, messageId, result, stoppingToken).ConfigureAwait(false);
                    return true;
                }
            }

            await Task.Delay(_options.DeferredRetryInterval, _time, stoppingToken).ConfigureAwait(false);
        }

        return false;
    }

    private async Task StoreAsync(string client, string messageId, DeliveryResult answer, CancellationToken cancellationToken)
    {
        // the answer must be stored before the offset moves on; a store that fails is retried, never skipped
        while (true)
        {
            try
            {
                await _answers.StoreAsync(client, messageId, answer, _options.DeferredRetention, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException && e is not OutOfMemoryException)
            {
                LogStoreFailed(e.Message);
                await Task.Delay(_options.DeferredRetryInterval, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(EventId = 4121, Level = LogLevel.Warning, Message = "Kafka: reading deferred requests failed ({Code}: {Reason})")]
    private partial void LogConsumeFailed(ErrorCode code, string reason);

    [LoggerMessage(EventId = 4122, Level = LogLevel.Warning, Message = "Kafka: deferred record {Position} is not a request envelope with client and id; skipped")]
    private partial void LogMalformed(string position);

    [LoggerMessage(EventId = 4123, Level = LogLevel.Warning, Message = "Storing a deferred answer failed ({Reason}); retrying")]
    private partial void LogStoreFailed(string reason);
}
