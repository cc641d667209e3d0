using Broker.Protocol.Envelopes;
using Broker.Protocol.Rest;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Broker.Router.Transport.Kafka;

/// <summary>
/// Writes an exchange's <see cref="AuditRecord"/> to the audit topic (bodies only for the subsystems listed in
/// <see cref="KafkaTransportOptions.AuditBodiesOf"/>, and only while the record stays within the producer's limit).
/// Used by the delivery and the deferred workers, so every delivered exchange leaves one record.
/// </summary>
public sealed partial class KafkaAudit(IOptions<RouterOptions> options, KafkaClients clients, TimeProvider time, ILogger<KafkaAudit> logger)
{
    private readonly KafkaTransportOptions _options = options.Value.Kafka;

    /// <summary>Writes the record; false (logged) when it could not be written.</summary>
    public async Task<bool> WriteAsync(string correlation, string providerServer, string providerSubsystem, byte[] request, DeliveryResult answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (_options.AuditTopic.Length == 0)
        {
            return true;
        }

        var keepBodies = _options.AuditBodiesOf.Contains(providerSubsystem) || ClientIsListed(request);
        var record = AuditRecord.Write(
            time.GetUtcNow(), correlation, providerServer, providerSubsystem, request, answer, keepBodies, clients.MaxRecordBytes - KafkaClients.RecordOverhead);
        try
        {
            await clients.Producer.ProduceAsync(
                _options.AuditTopic, new Message<string, byte[]> { Key = providerSubsystem, Value = record }, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (ProduceException<string, byte[]> e)
        {
            LogAuditFailed(correlation, e.Error.Code, e.Error.Reason);
            return false;
        }
    }

    private bool ClientIsListed(byte[] request) =>
        _options.AuditBodiesOf.Count > 0
        && Envelope.TryReadHead(request, out _, out var head)
        && RestRequestHead.TryParse(head, out var parsed)
        && parsed.Headers.GetLast(XRoadHeaders.Client) is { } client
        && _options.AuditBodiesOf.Contains(client);

    [LoggerMessage(EventId = 4131, Level = LogLevel.Error, Message = "Kafka: writing the audit record for {Correlation} failed ({Code}: {Reason})")]
    private partial void LogAuditFailed(string correlation, ErrorCode code, string reason);
}
