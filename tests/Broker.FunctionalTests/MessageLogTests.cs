using System.Net;
using System.Text;
using Broker.Cli.Network;
using Broker.MessageLog.Records;
using Broker.MessageLog.Verification;
using Broker.Pki.Authority;
using Broker.Protocol.Envelopes;
using Broker.SecurityServer;
using Broker.Testing;

namespace Broker.FunctionalTests;

/// <summary>
/// The message logs of the security servers after real exchanges on loopback, read from their segment files: the
/// consumer's and the provider's records of one exchange, the modes per subsystem, the batch time-stamps, and health.
/// </summary>
public sealed class MessageLogTests
{
    private const string LandClient = "MN/GOV/LAND/land-services";
    private const string PortalClient = "MN/GOV/EMONGOLIA/portal-backend";
    private const string Mta = "MN/GOV/MTA/ss1";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Exchange_ConsumerAndProviderLogsBothHoldItsRequestAndResponseUnderItsXRoadId()
    {
        await using var probe = await RecordingService.StartAsync();
        await using var network = await StartAsync(probe);
        var payload = "{\"marker\":\"logged-exchange\"}";

        using var response = await SendAsync(network, HttpMethod.Post, ProbeService.Path("logged-exchange"), payload);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = response.Headers.GetValues("X-Road-Id").Single();
        foreach (var server in new[] { SampleNetworkFixture.Land, SampleNetworkFixture.Gasr })
        {
            var records = MessageLogFiles.ReadAll(MessageLogFiles.DirectoryOf(network, server));
            MessageLogFiles.AssertChainIntact(records);
            var request = records.Record(id, EnvelopeKind.Request);
            var answer = records.Record(id, EnvelopeKind.Response);
            Assert.True(request.Seq < answer.Seq, $"{server} logged the response before the request");
            foreach (var record in new[] { request, answer })
            {
                Assert.Equal(LandClient, record.Client);
                Assert.Equal($"{ProbeService.Subsystem}/{ProbeService.Code}", record.Service);
                Assert.False(record.Signature.IsEmpty, $"{server}'s {record.Kind} record has no signature document");
                Assert.Equal(BodyStorage.Plain, record.BodyStorage);
            }

            Assert.StartsWith("POST\r\n" + ProbeService.Path("logged-exchange"), Encoding.UTF8.GetString(request.Head.Span), StringComparison.Ordinal);
            Assert.Equal(payload, Encoding.UTF8.GetString(request.Body.Span));
            Assert.Equal("{\"recorded\":true}", Encoding.UTF8.GetString(answer.Body.Span));
        }
    }

    [Fact]
    public async Task MetadataMode_ProviderRecordsKeepHeadAndSignatureButNoBody()
    {
        await using var probe = await RecordingService.StartAsync();
        await using var network = await StartAsync(probe, o =>
        {
            if (o.ServerId == SampleNetworkFixture.Gasr)
            {
                o.MessageLog.Modes["MN/GOV/GASR/civil-registry"] = LogMode.Metadata;
            }
        });
        var payload = "{\"parcel\":\"ДУ-1043\",\"note\":\"metadata only\"}";

        using var response = await SendAsync(network, HttpMethod.Post, "/r1/MN/GOV/GASR/civil-registry/citizens/echo", payload);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(payload, await response.Content.ReadAsStringAsync(Cancel));
        var id = response.Headers.GetValues("X-Road-Id").Single();

        var provider = MessageLogFiles.ReadAll(MessageLogFiles.DirectoryOf(network, SampleNetworkFixture.Gasr));
        MessageLogFiles.AssertChainIntact(provider);
        foreach (var kind in new[] { EnvelopeKind.Request, EnvelopeKind.Response })
        {
            var record = provider.Record(id, kind);
            Assert.Equal(BodyStorage.Omitted, record.BodyStorage);
            Assert.True(record.Body.IsEmpty, $"the provider's {kind} record keeps a body in metadata mode");
            Assert.False(record.Head.IsEmpty);
            Assert.False(record.Signature.IsEmpty);
            Assert.DoesNotContain("ДУ-1043", Encoding.UTF8.GetString(record.Encoded.Span), StringComparison.Ordinal);
        }

        // the consumer's subsystem is in full mode: its records keep both bodies
        var consumer = MessageLogFiles.ReadAll(MessageLogFiles.DirectoryOf(network, SampleNetworkFixture.Land));
        Assert.Equal(payload, Encoding.UTF8.GetString(consumer.Record(id, EnvelopeKind.Request).Body.Span));
        Assert.Equal(payload, Encoding.UTF8.GetString(consumer.Record(id, EnvelopeKind.Response).Body.Span));
    }

    [Fact]
    public async Task OffMode_NothingIsLoggedForThatSubsystemWhileTheProviderStillLogs()
    {
        await using var probe = await RecordingService.StartAsync();
        await using var network = await StartAsync(probe, o =>
        {
            if (o.ServerId == SampleNetworkFixture.Portal)
            {
                o.MessageLog.Modes[PortalClient] = LogMode.Off;
            }
        });

        using var response = await SendAsync(network, HttpMethod.Get, "/r1/MN/GOV/MTA/tax-registry/tax-clearance/UB99010112", client: PortalClient, server: SampleNetworkFixture.Portal);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = response.Headers.GetValues("X-Road-Id").Single();
        Assert.Empty(MessageLogFiles.ReadAll(MessageLogFiles.DirectoryOf(network, SampleNetworkFixture.Portal)));
        var health = await SecurityServerHealth.GetAsync(network.Http, network.ClientUrl(SampleNetworkFixture.Portal));
        Assert.Equal(0, health.MessageLog.GetProperty("lastSeq").GetInt64());
        Assert.Equal(0, health.Backlog);

        var provider = MessageLogFiles.ReadAll(MessageLogFiles.DirectoryOf(network, Mta));
        Assert.Equal(PortalClient, provider.Record(id, EnvelopeKind.Request).Client);
        Assert.Equal(PortalClient, provider.Record(id, EnvelopeKind.Response).Client);
    }

    [Fact]
    public async Task Timestamping_StampRecordsCoverEveryMessageAndTheirTokensVerifyWithTheTsaCertificate()
    {
        await using var probe = await RecordingService.StartAsync();
        await using var network = await StartAsync(probe);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await SendAsync(network, HttpMethod.Get, ProbeService.Path($"stamped-{i}-"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            ids.Add(response.Headers.GetValues("X-Road-Id").Single());
        }

        var tsa = PemFiles.LoadCertificate(network.CertificatesDirectory, DevelopmentPki.CentralTimestamping);
        foreach (var server in new[] { SampleNetworkFixture.Land, SampleNetworkFixture.Gasr })
        {
            await SecurityServerHealth.WaitForAsync(network.Http, network.ClientUrl(server), h => h.Backlog == 0, $"stamping {server}'s log");
            var directory = MessageLogFiles.DirectoryOf(network, server);
            var records = MessageLogFiles.ReadAll(directory);
            MessageLogFiles.AssertChainIntact(records);
            Assert.Equal(10, records.Count(r => r.Type == RecordType.Message));
            Assert.All(ids, id => Assert.Equal(2, records.Messages(id).Count()));
            Assert.Contains(records, r => r.Type == RecordType.Timestamp);
            MessageLogFiles.AssertEveryMessageStamped(records, tsa);

            // the directory alone is enough for the offline verifier: the trust folder came with the first stamp
            var report = new LogVerifier().VerifyLog(directory);
            Assert.True(report.IsValid, string.Join(Environment.NewLine, report.Findings));
            Assert.DoesNotContain(report.Findings, f => f.Code == FindingCodes.Unstamped);
        }
    }

    [Fact]
    public async Task Health_AfterExchangesAreStamped_ShowsChainHeadDiskUsageAndTimestamperState()
    {
        await using var probe = await RecordingService.StartAsync();
        await using var network = await StartAsync(probe);
        using (var response = await SendAsync(network, HttpMethod.Get, ProbeService.Path("health-")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var land = network.ClientUrl(SampleNetworkFixture.Land);
        var health = await SecurityServerHealth.WaitForAsync(network.Http, land, h => h.Backlog == 0, "stamping the land office's log");

        Assert.Equal(HttpStatusCode.OK, health.Code);
        Assert.Equal("healthy", health.Status);
        var log = health.MessageLog;
        Assert.Equal(MessageLogFiles.LogOf(network, SampleNetworkFixture.Land).Writer.LastSeq, log.GetProperty("lastSeq").GetInt64());
        Assert.True(log.GetProperty("lastSeq").GetInt64() >= 3, "request, response and a timestamp record: " + log);
        Assert.Equal(1, log.GetProperty("segments").GetInt32());
        Assert.Equal(new FileInfo(MessageLogFiles.LogOf(network, SampleNetworkFixture.Land).Writer.CurrentSegment).Length, log.GetProperty("segmentBytes").GetInt64());
        Assert.Equal(0, log.GetProperty("archives").GetInt32());
        Assert.True(log.GetProperty("freeBytes").GetInt64() > 0, log.ToString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, log.GetProperty("failure").ValueKind);

        var stamping = health.Timestamping;
        Assert.Equal("ok", health.TimestampingState);
        Assert.True(stamping.GetProperty("tokens").GetInt64() >= 1, stamping.ToString());
        Assert.True(stamping.GetProperty("stampedThrough").GetInt64() >= 2, stamping.ToString());
        Assert.Equal(System.Text.Json.JsonValueKind.String, stamping.GetProperty("lastStampedAt").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, stamping.GetProperty("oldestWaitingSince").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, stamping.GetProperty("lastError").ValueKind);
    }

    [Fact]
    public async Task Health_WhenTheLogVolumeHasLessFreeSpaceThanMinFreeBytes_IsDegraded_WithLowDiskSpace()
    {
        await using var probe = await RecordingService.StartAsync();
        await using var network = await StartAsync(probe, o => o.MessageLog.MinFreeBytes = long.MaxValue);

        var health = await SecurityServerHealth.WaitForAsync(network.Http, network.ClientUrl(SampleNetworkFixture.Land), h => h.Status == "degraded", "the low-disk warning");

        Assert.True(health.MessageLog.GetProperty("lowDiskSpace").GetBoolean(), health.MessageLog.ToString());
        Assert.True(health.MessageLog.GetProperty("freeBytes").GetInt64() > 0, health.MessageLog.ToString());
    }

    private static Task<TestNetwork> StartAsync(RecordingService probe, Action<SecurityServerOptions>? configure = null) =>
        TestNetwork.StartAsync(
            definition => definition.WithProbe(probe.Url),
            configure: settings => settings with
            {
                ConfigureSecurityServer = o =>
                {
                    o.MessageLog.Timestamping.Interval = TimeSpan.FromMilliseconds(200);
                    o.MessageLog.MinFreeBytes = 0; // "healthy" asserted below must not depend on the test machine's free disk space
                    configure?.Invoke(o);
                },
            });

    private static async Task<HttpResponseMessage> SendAsync(
        TestNetwork network, HttpMethod method, string path, string? body = null, string client = LandClient, string server = SampleNetworkFixture.Land)
    {
        using var request = new HttpRequestMessage(method, new Uri(network.ClientUrl(server), path));
        request.Headers.TryAddWithoutValidation("X-Road-Client", client);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return await network.Http.SendAsync(request, Cancel);
    }
}
