using Broker.Hosting.Faults;
using Broker.MessageLog.Evidence;
using Broker.MessageLog.Reading;
using Broker.MessageLog.Records;
using Broker.MessageLog.Trust;
using Broker.Protocol.Envelopes;
using Broker.Protocol.Faults;
using Broker.Protocol.Identifiers;
using Broker.Protocol.Rest;
using Broker.SecurityServer.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Broker.SecurityServer.MessageLog;

/// <summary>
/// <c>GET /evidence/{X-Road-Id}[?type=request|response|all]</c> on the information systems' port, with
/// <c>X-Road-Client</c> naming a subsystem hosted here that was a party to the message (its client, or its service's
/// provider): a self-contained ZIP (docs/message-log.md#evidence-containers) with the records, their time-stamps and
/// proofs, and the certificates to verify them offline, like X-Road's <c>/asic</c>.
/// </summary>
public sealed partial class EvidenceHandler(SecurityServerRuntime runtime, SecurityServerMessageLog messageLog, ILogger<EvidenceHandler> logger) : IDisposable
{
    public const string Path = "/evidence/";

    // a search reads segments and archives: one at a time, so evidence requests cannot starve the log's own disk I/O
    private readonly SemaphoreSlim _searches = new(1, 1);

    public async Task HandleAsync(HttpContext context)
    {
        var messageId = Uri.UnescapeDataString(context.Request.Path.Value![Path.Length..]);
        var clientHeader = context.Request.Headers[XRoadHeaders.Client];
        if (clientHeader.Count == 0 || !ClientId.TryParse(clientHeader[^1], out var client) || !client.IsSubsystem)
        {
            await FaultResponse.WriteAsync(context, FaultCodes.Create(FaultCodes.MissingHeader, $"The {XRoadHeaders.Client} header naming a subsystem that took part in the message is required."));
            return;
        }

        if (!runtime.Clients.Contains(client))
        {
            await FaultResponse.WriteAsync(context, FaultCodes.Create(FaultCodes.UnknownClient, $"Client {client} is not registered on security server {runtime.ServerId}."));
            return;
        }

        var type = context.Request.Query["type"].ToString();
        if (type is not ("" or "all" or "request" or "response"))
        {
            await FaultResponse.WriteAsync(context, FaultCodes.Create(FaultCodes.BadRequest, "type must be request, response or all."));
            return;
        }

        var options = messageLog.Options;
        EvidenceSet? found = null;
        if (messageId.Length is > 0 and <= XRoadHeaders.MaxIdLength)
        {
            await _searches.WaitAsync(context.RequestAborted);
            try
            {
                // a message from the last seconds may still wait for its batch time-stamp: stamp now, so the container proves its time
                using (var stamping = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted))
                {
                    stamping.CancelAfter(TimeSpan.FromSeconds(5));
                    try
                    {
                        await messageLog.Timestamper.FlushAsync(stamping.Token);
                    }
                    catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
                    {
                    }
                }

                found = await Task.Run(() => EvidenceFinder.Find(options.Directory!, messageId, options.ArchiveDirectory, record => IsParty(record, client), context.RequestAborted), context.RequestAborted);
            }
            catch (LogDamagedException e)
            {
                LogEvidenceFailed(logger, messageId, e.Message);
                await FaultResponse.WriteAsync(context, FaultCodes.Create(FaultCodes.ClientProxyMessageLogFailed, "The evidence cannot be put together from this log: " + e.Message));
                return;
            }
            finally
            {
                _searches.Release();
            }
        }

        var items = found?.Items.Where(item => Wanted(item.Record, type)).ToList() ?? [];
        if (items.Count == 0)
        {
            // the same answer when the id is unknown and when the client was no party to it: ids cannot be probed
            await FaultResponse.WriteAsync(context, FaultCodes.Create(FaultCodes.ClientProxyEvidenceNotFound, $"This security server holds no record of message {messageId} of client {client}."));
            return;
        }

        LogEvidenceServed(logger, messageId, client.ToString(), items.Count);
        context.Response.ContentType = EvidenceWriter.MediaType;
        context.Response.Headers.ContentDisposition = "attachment; filename=\"evidence.zip\"";
        using var buffer = new MemoryStream();
        EvidenceWriter.Write(buffer, new EvidenceSet(messageId, items), new EvidenceOptions
        {
            ServerId = runtime.ServerId.ToString(),
            Trust = TrustFolder.Read(options.Directory!),
            BodyKey = messageLog.Writer.BodyCipher,
            Time = runtime.Time,
        });
        context.Response.ContentLength = buffer.Length;
        await context.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted);
    }

    private static bool IsParty(LogRecord record, ClientId client) =>
        record.Client == client.ToString()
        || (ServiceId.TryParse(record.Service, out var service) && service.Provider == client);

    private static bool Wanted(LogRecord record, string type) => type switch
    {
        "request" => record.Kind == EnvelopeKind.Request,
        "response" => record.Kind == EnvelopeKind.Response,
        _ => true,
    };

    public void Dispose()
    {
        _searches.Dispose();
    }

    [LoggerMessage(EventId = 5502, Level = LogLevel.Error, Message = "Evidence for message {MessageId} cannot be put together: {Error}")]
    private static partial void LogEvidenceFailed(ILogger logger, string messageId, string error);

    [LoggerMessage(EventId = 5501, Level = LogLevel.Information, Message = "Evidence for message {MessageId} served to {Client} ({Records} records)")]
    private static partial void LogEvidenceServed(ILogger logger, string messageId, string client, int records);
}
