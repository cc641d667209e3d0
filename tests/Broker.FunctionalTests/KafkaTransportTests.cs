using System.Net;
using System.Text;
using Broker.Cli.Network;
using Broker.Router.Transport.Kafka;
using Broker.Testing;
using Confluent.Kafka;

namespace Broker.FunctionalTests;

/// <summary>
/// The whole network with the router on the Kafka transport, against librdkafka's mock cluster (three brokers, real
/// Kafka protocol on loopback) through the real Kafka client.
/// </summary>
public sealed class KafkaTransportTests : IAsyncLifetime
{
    private const string LandClient = "MN/GOV/LAND/land-services";
    private const string Citizen = "/r1/MN/GOV/GASR/civil-registry/citizens/UB99010112";
    private RecordingService _probe = null!;
    private TestNetwork _network = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private MockKafkaCluster Kafka => _network.Network.KafkaCluster!;

    public async ValueTask InitializeAsync()
    {
        _probe = await RecordingService.StartAsync();
        _network = await TestNetwork.StartAsync(
            definition => definition.WithProbe(_probe.Url), timeoutSeconds: 8, configure: settings => settings with { Transport = "kafka", Kafka = "mock" });
    }

    public async ValueTask DisposeAsync()
    {
        await _network.DisposeAsync();
        await _probe.DisposeAsync();
    }

    [Fact]
    public async Task Exchange_ThroughKafka_IsAnsweredSignedAndComplete()
    {
        using var response = await SendAsync(Citizen);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("MN/GOV/GASR/civil-registry/citizens", response.Headers.GetValues("X-Road-Service").Single());
        Assert.Contains("registerNumber", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.True(response.Headers.Contains("X-Road-Request-Hash"));

        // and many at once: all answered (the consumer's security server checks each answer is bound to its request),
        // each delivered exactly once
        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => SendAsync(ProbeService.Path("kafka-" + i + "-"))));
        for (var i = 0; i < responses.Length; i++)
        {
            using var each = responses[i];
            Assert.Equal(HttpStatusCode.OK, each.StatusCode);
            Assert.Single(_probe.Requests, r => r.Contains("kafka-" + i + "-"));
        }
    }

    [Fact]
    public async Task RequestRecordPastItsDeadline_IsAnsweredWithTimeoutAndNotDelivered()
    {
        using (var warm = await SendAsync(Citizen))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode); // the delivery group is up
        }

        // a request that waited in Kafka beyond its deadline (as after an outage): written straight to the topic
        var options = new KafkaTransportOptions();
        var correlation = Guid.NewGuid().ToString("N");
        var marker = "late-" + correlation;
        var envelope = HopEnvelopes.Sign(
            _network.SigningKey("MN/GOV/LAND"), HopEnvelopes.RequestHead("GET", ProbeService.Path(marker), LandClient), [], TimeProvider.System);
        var headers = new Headers();
        headers.Add("broker-correlation", Encoding.UTF8.GetBytes(correlation));
        headers.Add("broker-reply-partition", Long(options.RepliesPartitions - 1));
        headers.Add("broker-deadline", Long(DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeMilliseconds()));
        headers.Add("broker-provider", Encoding.UTF8.GetBytes(SampleNetworkFixture.Gasr));
        headers.Add("broker-max-response", Long(1 << 20));
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = Kafka.BootstrapServers }).Build())
        {
            await producer.ProduceAsync(options.RequestsTopic, new Message<string, byte[]> { Key = ProbeService.Subsystem, Value = envelope, Headers = headers }, Cancel);
        }

        // the answer arrives on the partition named in the record: a timeout fault, and the service saw nothing
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = Kafka.BootstrapServers, GroupId = "test-" + correlation, EnableAutoCommit = false,
        }).Build();
        consumer.Assign(new TopicPartitionOffset(options.RepliesTopic, options.RepliesPartitions - 1, Offset.Beginning));
        ConsumeResult<string, byte[]>? answer = null;
        var until = DateTime.UtcNow.AddSeconds(30);
        while (answer is null && DateTime.UtcNow < until)
        {
            var record = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (record?.Message.Key == correlation)
            {
                answer = record;
            }
        }

        Assert.NotNull(answer);
        Assert.True(answer.Message.Headers.TryGetLastBytes("broker-error", out var error));
        Assert.Equal("Server.Router.Timeout", Encoding.UTF8.GetString(error));
        Assert.False(_probe.Saw(marker));
    }

    [Fact]
    public async Task KafkaBrokerDownAndBack_TrafficRecoversWithoutRestart()
    {
        using (var before = await SendAsync(Citizen))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        Kafka.SetBrokerUp(1, up: false);
        var during = new List<HttpStatusCode>();
        for (var i = 0; i < 2; i++)
        {
            using var response = await SendAsync(ProbeService.Path("during-" + i));
            during.Add(response.StatusCode);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                // whatever fails while a broker is down fails with a fault code, never silently
                Assert.True(response.Headers.Contains("X-Road-Error"), $"HTTP {(int)response.StatusCode} without X-Road-Error");
            }
        }

        Kafka.SetBrokerUp(1, up: true);
        var recovered = false;
        var until = DateTime.UtcNow.AddSeconds(60);
        while (!recovered && DateTime.UtcNow < until)
        {
            using var response = await SendAsync(Citizen);
            recovered = response.StatusCode == HttpStatusCode.OK;
        }

        Assert.True(recovered, $"no success after the broker came back (during the outage: {string.Join(", ", during)})");
    }

    private async Task<HttpResponseMessage> SendAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_network.ClientUrl(SampleNetworkFixture.Land), path));
        request.Headers.TryAddWithoutValidation("X-Road-Client", LandClient);
        return await _network.Http.SendAsync(request, Cancel);
    }

    private static byte[] Long(long value)
    {
        var bytes = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }
}
