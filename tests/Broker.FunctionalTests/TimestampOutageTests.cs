using System.Net;
using Broker.Cli.Network;
using Broker.MessageLog.Records;
using Broker.Pki.Authority;
using Broker.Testing;

namespace Broker.FunctionalTests;

/// <summary>
/// The central server's TSA goes down (<see cref="LocalNetwork.StopTsaAsync"/>): security servers keep exchanging while
/// their unstamped backlog grows, warn once it is older than the warning threshold, refuse new exchanges once it is
/// older than the grace period, and stamp the whole backlog when the TSA is back. The nodes' clock is moved forward
/// (the TSA keeps real time); warning after 1 min, grace 3 min, both well inside the configuration's 10 min validity.
/// </summary>
public sealed class TimestampOutageTests
{
    private const string LandClient = "MN/GOV/LAND/land-services";
    private static readonly TimeSpan s_warningAfter = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan s_gracePeriod = TimeSpan.FromMinutes(3);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TsaDown_TrafficGoesOnThenWarnsThenFailsPastGrace_AndTheBacklogIsStampedWhenItReturns()
    {
        await using var probe = await RecordingService.StartAsync();
        await using var network = await TestNetwork.StartAsync(
            definition => definition.WithProbe(probe.Url),
            configure: settings => settings with
            {
                ConfigureSecurityServer = o =>
                {
                    o.MessageLog.Timestamping.Interval = TimeSpan.FromMilliseconds(200);
                    o.MessageLog.Timestamping.WarningAfter = s_warningAfter;
                    o.MessageLog.Timestamping.GracePeriod = s_gracePeriod;
                    o.MessageLog.MinFreeBytes = 0; // "healthy" asserted below must not depend on the test machine's free disk space
                },
            });
        var land = network.ClientUrl(SampleNetworkFixture.Land);
        await AssertExchangeSucceedsAsync(network, probe, "before-outage-");
        await SecurityServerHealth.WaitForAsync(network.Http, land, h => h.Backlog == 0, "stamping before the outage");

        await network.Network.StopTsaAsync(Cancel);

        // traffic goes on; the backlog grows by a request and a response per exchange; the failed attempts are reported
        for (var i = 0; i < 5; i++)
        {
            await AssertExchangeSucceedsAsync(network, probe, $"during-outage-{i}-");
        }

        var waiting = await SecurityServerHealth.WaitForAsync(
            network.Http, land, h => h.Timestamping.GetProperty("lastError").ValueKind == System.Text.Json.JsonValueKind.String, "a failed time-stamping attempt");
        Assert.Equal(10, waiting.Backlog);
        Assert.Equal("ok", waiting.TimestampingState);
        Assert.Equal("healthy", waiting.Status);

        // past the warning threshold: degraded, and exchanges still succeed
        network.Time.Advance(s_warningAfter + TimeSpan.FromSeconds(30));
        var warning = await SecurityServerHealth.GetAsync(network.Http, land);
        Assert.Equal(HttpStatusCode.OK, warning.Code);
        Assert.Equal("degraded", warning.Status);
        Assert.Equal("warning", warning.TimestampingState);
        await AssertExchangeSucceedsAsync(network, probe, "warned-");
        Assert.Equal(12, (await SecurityServerHealth.GetAsync(network.Http, land)).Backlog);

        // past the grace period: new exchanges are refused before anything is sent
        network.Time.Advance(s_gracePeriod - s_warningAfter);
        using (var refused = await SendAsync(network, ProbeService.Path("past-grace-")))
        {
            await FaultAssert.IsFaultAsync(refused, HttpStatusCode.ServiceUnavailable, "Server.ClientProxy.TimestampingFailed");
        }

        Assert.False(probe.Saw("past-grace-"), "an exchange refused for lack of time-stamps reached the provider's service");
        var failing = await SecurityServerHealth.GetAsync(network.Http, land);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failing.Code);
        Assert.Equal("unhealthy", failing.Status);
        Assert.Equal("failing", failing.TimestampingState);
        Assert.Equal(12, failing.Backlog);

        // the TSA returns: the whole backlog is stamped, every token verifies, and exchanges are accepted again
        await network.Network.StartTsaAsync(Cancel);
        var tsa = PemFiles.LoadCertificate(network.CertificatesDirectory, DevelopmentPki.CentralTimestamping);
        foreach (var server in new[] { SampleNetworkFixture.Land, SampleNetworkFixture.Gasr })
        {
            var stamped = await SecurityServerHealth.WaitForAsync(network.Http, network.ClientUrl(server), h => h.Backlog == 0, $"stamping {server}'s backlog");
            Assert.Equal("healthy", stamped.Status);
            var records = MessageLogFiles.ReadAll(MessageLogFiles.DirectoryOf(network, server));
            MessageLogFiles.AssertChainIntact(records);
            Assert.Equal(14, records.Count(r => r.Type == RecordType.Message));
            MessageLogFiles.AssertEveryMessageStamped(records, tsa);
        }

        await AssertExchangeSucceedsAsync(network, probe, "after-outage-");
    }

    private static async Task AssertExchangeSucceedsAsync(TestNetwork network, RecordingService probe, string marker)
    {
        using var response = await SendAsync(network, ProbeService.Path(marker));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{marker}: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Cancel)}");
        Assert.True(probe.Saw(marker));
    }

    private static async Task<HttpResponseMessage> SendAsync(TestNetwork network, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(network.ClientUrl(SampleNetworkFixture.Land), path));
        request.Headers.TryAddWithoutValidation("X-Road-Client", LandClient);
        return await network.Http.SendAsync(request, Cancel);
    }
}
