using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Broker.Router.Transport.Kafka;

/// <summary>
/// The router instance's Kafka clients: one idempotent producer (requests and replies; acks from all in-sync
/// replicas) and the consumers the transport and the delivery worker create. Size limits follow the router's
/// envelope limit, so the producer refuses what a node would refuse.
/// </summary>
public sealed partial class KafkaClients : IDisposable
{
    /// <summary>Room for the record's key and headers on top of the envelope.</summary>
    public const int RecordOverhead = 16 * 1024;

    private readonly KafkaTransportOptions _options;
    private readonly ILogger<KafkaClients> _logger;

    public KafkaClients(IOptions<RouterOptions> options, ILogger<KafkaClients> logger)
    {
        RdKafkaNative.Register();
        _options = options.Value.Kafka;
        _logger = logger;
        MaxRecordBytes = options.Value.MaxMessageBytes + RecordOverhead;
        Producer = new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = _options.BootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = 1,
            MessageMaxBytes = MaxRecordBytes,
            MessageTimeoutMs = 30_000,
            SocketKeepaliveEnable = true,
        })
        .SetLogHandler((_, message) => Log(message))
        .Build();
    }

    public IProducer<string, byte[]> Producer { get; }

    public int MaxRecordBytes { get; }

    /// <summary>A consumer for this instance's reply partition (assigned, never committed).</summary>
    public IConsumer<string, byte[]> CreateReplyConsumer() =>
        Builder(Config("broker-replies-" + _options.ReplyPartition, fetchWaitMs: 5)).Build();

    /// <summary>A member of <paramref name="group"/> reading from the earliest uncommitted offset; the caller commits.</summary>
    public IConsumer<string, byte[]> CreateConsumer(string group) => Builder(Config(group, fetchWaitMs: 100)).Build();

    /// <summary>A member of the delivery group; offsets are committed by the caller, after the answer is written.</summary>
    public IConsumer<string, byte[]> CreateDeliveryConsumer(Action<IConsumer<string, byte[]>, List<TopicPartitionOffset>> revoked) =>
        Builder(Config(_options.DeliveryGroup, fetchWaitMs: 5)).SetPartitionsRevokedHandler(revoked).Build();

    // fetch limits follow the producer's record limit, so whatever was written can be read
    private ConsumerConfig Config(string group, int fetchWaitMs) => new()
    {
        BootstrapServers = _options.BootstrapServers,
        GroupId = group,
        EnableAutoCommit = false,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        SessionTimeoutMs = _options.SessionTimeoutMs,
        FetchMaxBytes = Math.Max(MaxRecordBytes, 52_428_800),
        MaxPartitionFetchBytes = MaxRecordBytes,
        FetchWaitMaxMs = fetchWaitMs,
    };

    private ConsumerBuilder<string, byte[]> Builder(ConsumerConfig config) =>
        new ConsumerBuilder<string, byte[]>(config).SetLogHandler((_, message) => Log(message));

    public void Dispose()
    {
        Producer.Flush(TimeSpan.FromSeconds(5));
        Producer.Dispose();
    }

    private void Log(LogMessage message)
    {
        if (message.Level <= SyslogLevel.Warning)
        {
            LogClient(message.Name, message.Facility, message.Message);
        }
    }

    [LoggerMessage(EventId = 4100, Level = LogLevel.Warning, Message = "Kafka client {Client} [{Facility}]: {Message}")]
    private partial void LogClient(string client, string facility, string message);
}
