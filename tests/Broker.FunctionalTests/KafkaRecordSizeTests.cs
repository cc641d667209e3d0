using Broker.GlobalConfiguration.Model;
using Broker.Protocol.Faults;
using Broker.Router;
using Broker.Router.Transport;
using Broker.Router.Transport.Kafka;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;

namespace Broker.FunctionalTests;

/// <summary>
/// The Kafka producer's record limit follows the router's envelope limit (plus <see cref="KafkaClients.RecordOverhead"/>
/// for key and headers): the largest envelope the ingress lets through is written, and a record the producer refuses is
/// answered <c>Server.Router.MessageTooLarge</c> (413), not a transport failure.
/// </summary>
public sealed class KafkaRecordSizeTests
{
    private const int EnvelopeLimit = 4096;
    private const string Subsystem = "MN/GOV/GASR/civil-registry";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task KafkaTransport_LargestEnvelopeIsWritten_ARecordOverTheProducerLimitIsMessageTooLarge()
    {
        using var cluster = new MockKafkaCluster(brokers: 1);
        var options = new RouterOptions { CertificatesDirectory = "/x", Transport = "kafka", MaxMessageBytes = EnvelopeLimit };
        options.Kafka.BootstrapServers = cluster.BootstrapServers;
        cluster.CreateTopic(options.Kafka.RequestsTopic, 1);
        await using var services = new ServiceCollection().AddLogging().AddRouter(options).BuildServiceProvider();
        var clients = services.GetRequiredService<KafkaClients>();
        var transport = services.GetRequiredService<KafkaTransport>(); // not started: nothing reads the replies
        var provider = new SecurityServerEntry("MN/GOV/GASR/ss1", "https://127.0.0.1:1", [], []);
        Assert.Equal(EnvelopeLimit + KafkaClients.RecordOverhead, clients.MaxRecordBytes);

        // the largest envelope the ingress accepts fits the producer's limit with its key and headers: it is written
        // (and, as no one answers here, the exchange ends at its deadline)
        var largest = new byte[EnvelopeLimit];
        largest[^1] = 42;
        using (var waited = await transport.SendAsync(new RoutedExchange(largest, provider, DateTimeOffset.UtcNow.AddMilliseconds(300), EnvelopeLimit, Subsystem), Cancel))
        {
            Assert.Equal(FaultCodes.RouterTimeout, waited.ErrorCode);
        }

        using (var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = "size" }).Build())
        {
            consumer.Assign(new TopicPartitionOffset(options.Kafka.RequestsTopic, 0, Offset.Beginning));
            var record = consumer.Consume(TimeSpan.FromSeconds(10));
            Assert.NotNull(record);
            Assert.Equal(Subsystem, record.Message.Key);
            Assert.Equal(largest, record.Message.Value);
        }

        // a record over the producer's limit (only reachable when the limits disagree): a clear fault, nothing written
        using var refused = await transport.SendAsync(
            new RoutedExchange(new byte[clients.MaxRecordBytes + 1], provider, DateTimeOffset.UtcNow.AddSeconds(10), EnvelopeLimit, Subsystem), Cancel);
        Assert.Equal(FaultCodes.RouterMessageTooLarge, refused.ErrorCode);
        Assert.Equal(413, refused.StatusCode);
    }
}
