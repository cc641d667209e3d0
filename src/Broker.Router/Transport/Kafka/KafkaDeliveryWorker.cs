using Broker.GlobalConfiguration.Client;
using Broker.Protocol.Faults;
using Broker.Router.Delivery;
using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Broker.Router.Transport.Kafka;

/// <summary>
/// The delivery side of the Kafka transport, one per router instance, all in one consumer group: takes request
/// records from the partitions it owns, delivers each over mutual TLS to the provider's security server (unless its
/// deadline has passed), writes the answer (or a final fault) to the waiting instance's reply partition, and only
/// then lets the record's offset be committed. A record whose instance dies mid-delivery is read again by the
/// instance that takes its partition over (at least once).
/// </summary>
public sealed partial class KafkaDeliveryWorker : BackgroundService
{
    private readonly KafkaTransportOptions _options;
    private readonly KafkaClients _clients;
    private readonly ProviderDelivery _delivery;
    private readonly IGlobalConfigurationProvider _configuration;
    private readonly TimeProvider _time;
    private readonly ILogger<KafkaDeliveryWorker> _logger;
    private readonly PartitionWatermarks _watermarks = new();
    private readonly KafkaAudit _audit;

    public KafkaDeliveryWorker(
        IOptions<RouterOptions> options, KafkaClients clients, ProviderDelivery delivery, IGlobalConfigurationProvider configuration,
        KafkaAudit audit, TimeProvider time, ILogger<KafkaDeliveryWorker> logger)
    {
        _audit = audit;
        _options = options.Value.Kafka;
        _clients = clients;
        _delivery = delivery;
        _configuration = configuration;
        _time = time;
        _logger = logger;
    }

    /// <summary>Deliveries running now.</summary>
    public int Running => _watermarks.Running;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Factory.StartNew(
        () => Consume(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Consume(CancellationToken stoppingToken)
    {
        using var slots = new SemaphoreSlim(_options.MaxInFlight);
        using var consumer = _clients.CreateDeliveryConsumer((c, revoked) =>
        {
            // commit what finished before the partitions move on; what still runs will be read again by the new owner
            var partitions = revoked.Select(r => r.TopicPartition).ToList();
            Commit(c, _watermarks.TakeCommittable(partitions));
            _watermarks.Forget(partitions);
        });
        consumer.Subscribe(_options.RequestsTopic);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                ConsumeResult<string, byte[]>? record = null;
                try
                {
                    record = consumer.Consume(TimeSpan.FromMilliseconds(50));
                }
                catch (ConsumeException e)
                {
                    LogConsumeFailed(e.Error.Code, e.Error.Reason);
                }

                if (record is not null)
                {
                    slots.Wait(stoppingToken);
                    var position = record.TopicPartitionOffset;
                    _watermarks.Started(position);
                    _ = DeliverAsync(record, stoppingToken).ContinueWith(
                        _ =>
                        {
                            _watermarks.Finished(position);
                            slots.Release();
                        },
                        CancellationToken.None,
                        TaskContinuationOptions.ExecuteSynchronously,
                        TaskScheduler.Default);
                }

                Commit(consumer, _watermarks.TakeCommittable());
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // a graceful stop lets running deliveries finish (bounded) so their offsets can be committed
        var until = DateTime.UtcNow.AddSeconds(10);
        while (_watermarks.Running > 0 && DateTime.UtcNow < until)
        {
            Thread.Sleep(20);
        }

        Commit(consumer, _watermarks.TakeCommittable());
        consumer.Close();
    }

    private void Commit(IConsumer<string, byte[]> consumer, List<TopicPartitionOffset> offsets)
    {
        if (offsets.Count == 0)
        {
            return;
        }

        try
        {
            consumer.Commit(offsets);
        }
        catch (KafkaException e)
        {
            LogCommitFailed(e.Error.Code, e.Error.Reason);
        }
    }

    private async Task DeliverAsync(ConsumeResult<string, byte[]> record, CancellationToken stoppingToken)
    {
        var headers = record.Message.Headers;
        var correlation = KafkaRecordHeaders.GetString(headers, KafkaRecordHeaders.Correlation);
        var replyPartition = KafkaRecordHeaders.GetLong(headers, KafkaRecordHeaders.ReplyPartition);
        var deadlineMs = KafkaRecordHeaders.GetLong(headers, KafkaRecordHeaders.Deadline);
        var providerId = KafkaRecordHeaders.GetString(headers, KafkaRecordHeaders.Provider);
        var maxResponse = KafkaRecordHeaders.GetLong(headers, KafkaRecordHeaders.MaxResponse);
        if (correlation is null || replyPartition is null || deadlineMs is null || providerId is null || maxResponse is null || record.Message.Value is null)
        {
            LogMalformed(record.TopicPartitionOffset.ToString());
            return;
        }

        var deadline = DateTimeOffset.FromUnixTimeMilliseconds(deadlineMs.Value);
        DeliveryResult result;
        if (deadline <= _time.GetUtcNow())
        {
            result = ProviderDelivery.Fault(FaultCodes.RouterTimeout, "The exchange's deadline passed before it could be delivered.");
        }
        else if (_configuration.Current?.Document.SecurityServers.FirstOrDefault(s => s.Id == providerId) is not { } provider)
        {
            result = ProviderDelivery.Fault(FaultCodes.RouterUnknownService, $"The provider's security server {providerId} is no longer in the global configuration.");
        }
        else
        {
            try
            {
                result = await _delivery.DeliverAsync(
                    new RoutedExchange(record.Message.Value, provider, deadline, (int)Math.Min(maxResponse.Value, _clients.MaxRecordBytes - KafkaClients.RecordOverhead), record.Message.Key), stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return; // stopping: not answered, not committed; the next owner of the partition delivers it
            }

            // the provider cannot be reached and the client accepts a later delivery: keep the request, answer 202
            if (KafkaRecordHeaders.GetString(headers, KafkaRecordHeaders.Deferrable) == "1" && KafkaDeferredWorker.IsUnreachable(result))
            {
                result.Dispose();
                try
                {
                    await _clients.Producer.ProduceAsync(
                        _options.DeferredTopic, new Message<string, byte[]> { Key = record.Message.Key, Value = record.Message.Value, Headers = headers },
                        CancellationToken.None).ConfigureAwait(false);
                    result = KafkaDeferredWorker.Accepted();
                }
                catch (ProduceException<string, byte[]> e)
                {
                    result = ProviderDelivery.Fault(FaultCodes.RouterTransportUnavailable, $"The request could not be kept for later delivery: {e.Error.Code}.");
                }
            }
        }

        using (result)
        {
            var reply = new Headers();
            KafkaRecordHeaders.Add(reply, KafkaRecordHeaders.Correlation, correlation);
            KafkaRecordHeaders.Add(reply, KafkaRecordHeaders.Status, result.StatusCode);
            if (result.ContentType is not null)
            {
                KafkaRecordHeaders.Add(reply, KafkaRecordHeaders.ContentType, result.ContentType);
            }

            if (result.ErrorCode is not null)
            {
                KafkaRecordHeaders.Add(reply, KafkaRecordHeaders.Error, result.ErrorCode);
            }

            // the evidence and the answer are both written before the record's offset may be committed
            var audited = _audit.WriteAsync(correlation, providerId, record.Message.Key, record.Message.Value, result);
            try
            {
                await _clients.Producer.ProduceAsync(
                    new TopicPartition(_options.RepliesTopic, new Partition((int)replyPartition.Value)),
                    new Message<string, byte[]> { Key = correlation, Value = result.Body.ToArray(), Headers = reply },
                    CancellationToken.None).ConfigureAwait(false);
            }
            catch (ProduceException<string, byte[]> e)
            {
                // the waiting ingress times out; the exchange is not delivered twice for it
                LogReplyFailed(correlation, e.Error.Code, e.Error.Reason);
            }

            await audited.ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 4111, Level = LogLevel.Warning, Message = "Kafka: reading requests failed ({Code}: {Reason})")]
    private partial void LogConsumeFailed(ErrorCode code, string reason);

    [LoggerMessage(EventId = 4112, Level = LogLevel.Warning, Message = "Kafka: committing offsets failed ({Code}: {Reason})")]
    private partial void LogCommitFailed(ErrorCode code, string reason);

    [LoggerMessage(EventId = 4113, Level = LogLevel.Warning, Message = "Kafka: request record {Position} lacks the transport's headers; skipped")]
    private partial void LogMalformed(string position);

    [LoggerMessage(EventId = 4114, Level = LogLevel.Warning, Message = "Kafka: writing the answer for {Correlation} failed ({Code}: {Reason})")]
    private partial void LogReplyFailed(string correlation, ErrorCode code, string reason);
}
