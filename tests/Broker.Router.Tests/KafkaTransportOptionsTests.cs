using Broker.Router.Transport.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Broker.Router.Tests;

/// <summary><see cref="RouterOptions.Kafka"/> is checked at start with the kafka transport, every error at once, each with its path.</summary>
public sealed class KafkaTransportOptionsTests
{
    private static RouterOptions Kafka(Action<KafkaTransportOptions>? change = null)
    {
        var options = new RouterOptions { CertificatesDirectory = "/x", Transport = "kafka" };
        options.Kafka.BootstrapServers = "127.0.0.1:9092,127.0.0.1:9093";
        change?.Invoke(options.Kafka);
        return options;
    }

    [Fact]
    public void Defaults_WithBootstrapServers_AreValid()
    {
        Assert.True(new KafkaTransportOptionsValidator().Validate(null, Kafka(k => k.AuditBodiesOf = ["MN/GOV/LAND/land-services"])).Succeeded);
    }

    [Fact]
    public void Validate_ReportsEveryErrorAtOnceWithItsPath()
    {
        var options = Kafka(k =>
        {
            k.BootstrapServers = " ";
            k.RepliesPartitions = 4;
            k.ReplyPartition = 4;
            k.MaxInFlight = 0;
            k.SessionTimeoutMs = 10;
            k.RepliesTopic = k.RequestsTopic;
            k.AuditTopic = "audit topic!";
            k.AuditBodiesOf = ["MN/GOV/LAND", "MN/GOV/LAND/land-services"];
        });
        options.MaxMessageBytes = 1_000_000_000;

        var result = new KafkaTransportOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Equal(8, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("Kafka.BootstrapServers:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Kafka.ReplyPartition (4) must be less than RepliesPartitions (4)", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Kafka.MaxInFlight:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Kafka.SessionTimeoutMs:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Kafka.RequestsTopic, RepliesTopic all name the topic 'broker.requests'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Kafka.AuditTopic ('audit topic!') is not a valid Kafka topic name", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Kafka.AuditBodiesOf: 'MN/GOV/LAND' is not a subsystem", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("MaxMessageBytes (1000000000) plus 16384 bytes", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("127.0.0.1:9092,")]
    [InlineData("127.0.0.1:9092,,127.0.0.1:9093")]
    public void Validate_BootstrapServersEmptyOrWithAnEmptyEntry_Fails(string bootstrap)
    {
        var result = new KafkaTransportOptionsValidator().Validate(null, Kafka(k => k.BootstrapServers = bootstrap));

        Assert.True(result.Failed);
        Assert.StartsWith("Kafka.BootstrapServers", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_LargestEnvelopeTheKafkaClientCanCarry_IsAccepted()
    {
        var options = Kafka();
        options.MaxMessageBytes = KafkaTransportOptionsValidator.LibrdkafkaMaxMessageBytes - KafkaClients.RecordOverhead;

        Assert.True(new KafkaTransportOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void AddRouter_KafkaTransport_ChecksTheKafkaOptionsAtStart_EmbeddedTransportDoesNot()
    {
        static OptionsValidationException? Resolve(RouterOptions options)
        {
            using var services = new ServiceCollection().AddRouter(options).BuildServiceProvider();
            try
            {
                _ = services.GetRequiredService<IOptions<RouterOptions>>().Value;
                return null;
            }
            catch (OptionsValidationException e)
            {
                return e;
            }
        }

        var kafka = Kafka(k => (k.ReplyPartition, k.BootstrapServers) = (16, ""));
        var error = Resolve(kafka);
        Assert.NotNull(error);
        Assert.Contains(error.Failures, f => f.StartsWith("Kafka.ReplyPartition", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Kafka.BootstrapServers", StringComparison.Ordinal));

        // the same settings are not used, so not checked, on the embedded transport
        kafka.Transport = "embedded";
        Assert.Null(Resolve(kafka));
    }
}
