using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Broker.Protocol.Identifiers;
using Microsoft.Extensions.Options;

namespace Broker.Router.Transport.Kafka;

/// <summary>
/// Checks <see cref="RouterOptions.Kafka"/> at start when <see cref="RouterOptions.Transport"/> is <c>kafka</c>: its
/// DataAnnotations (the nested object is not reached by <c>ValidateDataAnnotations</c> on <see cref="RouterOptions"/>)
/// and the rules across fields, every error at once, each named <c>Kafka.Property</c>. With the embedded transport the
/// Kafka settings are not used and not checked.
/// </summary>
internal sealed partial class KafkaTransportOptionsValidator : IValidateOptions<RouterOptions>
{
    /// <summary>librdkafka's ceiling for <c>message.max.bytes</c> (and <c>max.partition.fetch.bytes</c>).</summary>
    public const int LibrdkafkaMaxMessageBytes = 1_000_000_000;

    private const string Prefix = nameof(RouterOptions.Kafka) + ".";

    public ValidateOptionsResult Validate(string? name, RouterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Transport != "kafka")
        {
            return ValidateOptionsResult.Skip;
        }

        var kafka = options.Kafka;
        if (kafka is null)
        {
            return ValidateOptionsResult.Fail($"{nameof(RouterOptions.Kafka)} is required when {nameof(RouterOptions.Transport)} is kafka.");
        }

        var results = new List<ValidationResult>();
        Validator.TryValidateObject(kafka, new ValidationContext(kafka), results, validateAllProperties: true);
        var failures = results.Select(r => $"{Prefix}{string.Join(", ", r.MemberNames)}: {r.ErrorMessage}").ToList();

        if (!string.IsNullOrWhiteSpace(kafka.BootstrapServers) && kafka.BootstrapServers.Split(',').Any(string.IsNullOrWhiteSpace))
        {
            failures.Add($"{Prefix}{nameof(KafkaTransportOptions.BootstrapServers)} ('{kafka.BootstrapServers}') has an empty entry; expected host:port[,host:port…].");
        }

        if (kafka.ReplyPartition >= kafka.RepliesPartitions)
        {
            failures.Add($"{Prefix}{nameof(KafkaTransportOptions.ReplyPartition)} ({kafka.ReplyPartition}) must be less than {nameof(KafkaTransportOptions.RepliesPartitions)} ({kafka.RepliesPartitions}): the replies topic has partitions 0 to {kafka.RepliesPartitions - 1}.");
        }

        // topics: legal Kafka names, and no two roles on one topic (a delivery worker would read answers as requests)
        var topics = new List<(string Setting, string Topic)>
        {
            (nameof(KafkaTransportOptions.RequestsTopic), kafka.RequestsTopic),
            (nameof(KafkaTransportOptions.RepliesTopic), kafka.RepliesTopic),
            (nameof(KafkaTransportOptions.DeferredTopic), kafka.DeferredTopic),
        };
        if (!string.IsNullOrEmpty(kafka.AuditTopic))
        {
            topics.Add((nameof(KafkaTransportOptions.AuditTopic), kafka.AuditTopic));
        }

        foreach (var (setting, topic) in topics)
        {
            if (!string.IsNullOrEmpty(topic) && (!TopicName().IsMatch(topic) || topic is "." or ".."))
            {
                failures.Add($"{Prefix}{setting} ('{topic}') is not a valid Kafka topic name (1–249 of a-z A-Z 0-9 . _ -).");
            }
        }

        foreach (var shared in topics.Where(t => !string.IsNullOrEmpty(t.Topic)).GroupBy(t => t.Topic, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            failures.Add($"{Prefix}{string.Join(", ", shared.Select(t => t.Setting))} all name the topic '{shared.Key}'; each needs its own topic.");
        }

        if (kafka.DeferredRetention <= TimeSpan.Zero || kafka.DeferredRetryInterval <= TimeSpan.Zero)
        {
            failures.Add($"{Prefix}{nameof(KafkaTransportOptions.DeferredRetention)} and {nameof(KafkaTransportOptions.DeferredRetryInterval)} must be positive.");
        }

        foreach (var subsystem in kafka.AuditBodiesOf ?? [])
        {
            // compared as written with the subsystem identifiers of each exchange: an entry that is not one never matches
            if (!ClientId.TryParse(subsystem, out var parsed) || !parsed.IsSubsystem || parsed.ToString() != subsystem)
            {
                failures.Add($"{Prefix}{nameof(KafkaTransportOptions.AuditBodiesOf)}: '{subsystem}' is not a subsystem identifier (INSTANCE/CLASS/MEMBER/SUBSYSTEM).");
            }
        }

        // the producer's message.max.bytes is the router's envelope limit plus room for key and headers (KafkaClients)
        if ((long)options.MaxMessageBytes + KafkaClients.RecordOverhead > LibrdkafkaMaxMessageBytes)
        {
            failures.Add($"{nameof(RouterOptions.MaxMessageBytes)} ({options.MaxMessageBytes}) plus {KafkaClients.RecordOverhead} bytes for a record's key and headers exceeds the Kafka client's largest record ({LibrdkafkaMaxMessageBytes} bytes); at most {LibrdkafkaMaxMessageBytes - KafkaClients.RecordOverhead} with the kafka transport.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[a-zA-Z0-9._-]{1,249}$", RegexOptions.CultureInvariant)]
    private static partial Regex TopicName();
}
