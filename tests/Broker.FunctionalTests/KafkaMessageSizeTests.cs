using System.Net;
using Broker.Cli.Network;
using Broker.Router.Transport.Kafka;
using Broker.SecurityServer;
using Broker.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Broker.FunctionalTests;

/// <summary>
/// Message size limits on the Kafka transport, with the router's envelope limit lowered to 32 KiB (the global
/// configuration's stays at 10 MiB, so the security servers let the messages through to the router): what exceeds it
/// ends with <c>Server.Router.MessageTooLarge</c> (413) wherever it is caught, and what fits travels through the
/// producer and both consumers (records up to the limit plus <see cref="KafkaClients.RecordOverhead"/>).
/// </summary>
public sealed class KafkaMessageSizeTests(KafkaMessageSizeTests.SizeNetwork fixture) : IClassFixture<KafkaMessageSizeTests.SizeNetwork>
{
    public const int RouterLimit = 32 * 1024;
    private const string LandClient = "MN/GOV/LAND/land-services";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RequestEnvelopeOverTheRouterLimit_IsRefusedByTheIngressBeforeKafka_MessageTooLarge()
    {
        var marker = "big-request-" + Guid.NewGuid().ToString("N");
        var written = fixture.RecordsWritten();

        using var response = await SendAsync(HttpMethod.Post, ProbeService.Path(marker), new byte[RouterLimit + 1]);

        await FaultAssert.IsFaultAsync(response, HttpStatusCode.RequestEntityTooLarge, "Server.Router.MessageTooLarge");
        Assert.Equal($"The envelope exceeds {RouterLimit} bytes.", await FaultMessageAsync(response)); // the ingress's check
        Assert.False(fixture.Probe.Saw(marker));
        Assert.Equal(written, fixture.RecordsWritten()); // nothing was written to the requests topic
    }

    [Fact]
    public async Task AnswerOverTheRouterLimit_IsRefusedByTheDeliveryWorker_AndTheFaultComesBackThroughKafka()
    {
        var marker = "big-answer-" + Guid.NewGuid().ToString("N");

        using var response = await SendAsync(HttpMethod.Get, $"{BulkService.Path}/{RouterLimit + 1}/{marker}", body: null);

        await FaultAssert.IsFaultAsync(response, HttpStatusCode.RequestEntityTooLarge, "Server.Router.MessageTooLarge");
        Assert.Equal("The provider's response exceeds the message size limit.", await FaultMessageAsync(response)); // the delivery's check
        Assert.Contains(marker, fixture.Bulk.Seen); // the request went through Kafka and was delivered; its answer was refused
    }

    [Fact]
    public async Task EnvelopesJustUnderTheRouterLimit_TravelThroughKafkaBothWays()
    {
        // ~3 KiB of head and signature document on top of the body: both envelopes are within 2 KiB of the limit
        var body = new byte[RouterLimit - (4 * 1024)];
        Random.Shared.NextBytes(body);

        var marker = "near-limit-" + Guid.NewGuid().ToString("N");

        using var response = await SendAsync(HttpMethod.Post, $"{BulkService.Path}/echo", body, marker);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync(Cancel));
        var options = new KafkaTransportOptions();
        var request = fixture.FindRecord(options.RequestsTopic, options.RequestsPartitions, marker);
        var answer = fixture.FindRecord(options.RepliesTopic, options.RepliesPartitions, marker);
        Assert.InRange(request.Length, RouterLimit - (2 * 1024), RouterLimit);
        Assert.InRange(answer.Length, RouterLimit - (2 * 1024), RouterLimit);
    }

    private static async Task<string?> FaultMessageAsync(HttpResponseMessage response)
    {
        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel));
        return json.RootElement.GetProperty("message").GetString();
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, byte[]? body, string? messageId = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(fixture.Network.ClientUrl(SampleNetworkFixture.Land), path));
        request.Headers.TryAddWithoutValidation("X-Road-Client", LandClient);
        if (messageId is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Road-Id", messageId);
        }

        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
        }

        return await fixture.Network.Http.SendAsync(request, Cancel);
    }

    /// <summary>One network for the class: the kafka transport on a mock cluster, the router's envelope limit 32 KiB.</summary>
    public sealed class SizeNetwork : IAsyncLifetime
    {
        public RecordingService Probe { get; private set; } = null!;

        public BulkService Bulk { get; private set; } = null!;

        public TestNetwork Network { get; private set; } = null!;

        /// <summary>Records in the requests topic so far (the sum of its partitions' high watermarks).</summary>
        public long RecordsWritten()
        {
            using var consumer = new Confluent.Kafka.ConsumerBuilder<string, byte[]>(new Confluent.Kafka.ConsumerConfig
            {
                BootstrapServers = Network.Network.KafkaCluster!.BootstrapServers, GroupId = "size-test",
            }).Build();
            var options = new KafkaTransportOptions();
            return Enumerable.Range(0, options.RequestsPartitions)
                .Sum(p => consumer.QueryWatermarkOffsets(new Confluent.Kafka.TopicPartition(options.RequestsTopic, p), TimeSpan.FromSeconds(10)).High.Value);
        }

        /// <summary>The value of the record of <paramref name="topic"/> whose envelope carries <paramref name="marker"/> (in its signed head).</summary>
        public byte[] FindRecord(string topic, int partitions, string marker)
        {
            var needle = System.Text.Encoding.UTF8.GetBytes(marker);
            using var consumer = new Confluent.Kafka.ConsumerBuilder<string, byte[]>(new Confluent.Kafka.ConsumerConfig
            {
                BootstrapServers = Network.Network.KafkaCluster!.BootstrapServers, GroupId = "size-test", EnableAutoCommit = false,
            }).Build();
            consumer.Assign(Enumerable.Range(0, partitions).Select(p => new Confluent.Kafka.TopicPartitionOffset(topic, p, Confluent.Kafka.Offset.Beginning)));
            var until = DateTime.UtcNow.AddSeconds(10);
            while (DateTime.UtcNow < until)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(200))?.Message.Value is { } value && value.AsSpan().IndexOf(needle) >= 0)
                {
                    return value;
                }
            }

            throw new Xunit.Sdk.XunitException($"no record carrying {marker} in {topic}");
        }

        public async ValueTask InitializeAsync()
        {
            Probe = await RecordingService.StartAsync();
            Bulk = await BulkService.StartAsync();
            Network = await TestNetwork.StartAsync(
                definition => Bulk.AddTo(definition.WithProbe(Probe.Url)), timeoutSeconds: 8,
                configureRouter: router => router.MaxMessageBytes = RouterLimit,
                configure: settings => settings with { Transport = "kafka", Kafka = "mock" });
        }

        public async ValueTask DisposeAsync()
        {
            await Network.DisposeAsync();
            await Bulk.DisposeAsync();
            await Probe.DisposeAsync();
        }
    }

    /// <summary>
    /// The service <c>MN/GOV/GASR/civil-registry/bulk</c>: <c>GET …/bulk/{bytes}/{marker}</c> answers that many bytes,
    /// <c>POST …/bulk/echo</c> answers the body it got.
    /// </summary>
    public sealed class BulkService : IAsyncDisposable
    {
        public const string Path = "/r1/" + ProbeService.Subsystem + "/bulk";
        private readonly WebApplication _app;

        private BulkService(WebApplication app, Uri url)
        {
            _app = app;
            Url = url;
        }

        public Uri Url { get; }

        public System.Collections.Concurrent.ConcurrentBag<string> Seen { get; } = [];

        public static async Task<BulkService> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            BulkService? service = null;
            app.MapGet("/bulk/{bytes:int}/{marker}", (int bytes, string marker) =>
            {
                service!.Seen.Add(marker);
                return Results.Bytes(new byte[bytes], "application/octet-stream");
            });
            app.MapPost("/bulk/echo", async (HttpRequest request) =>
            {
                using var body = new MemoryStream();
                await request.Body.CopyToAsync(body);
                return Results.Bytes(body.ToArray(), "application/octet-stream");
            });
            await app.StartAsync();
            service = new BulkService(app, new Uri(app.Urls.First()));
            return service;
        }

        public NetworkDefinition AddTo(NetworkDefinition definition) => definition with
        {
            SecurityServers = definition.SecurityServers.Select(s => s.Id != SampleNetworkFixture.Gasr ? s : s with
            {
                Services =
                [
                    .. s.Services,
                    new ServiceOptions { Subsystem = ProbeService.Subsystem, Code = "bulk", Url = new Uri(Url, "bulk").ToString(), Allow = [LandClient] },
                ],
            }).ToList(),
        };

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
