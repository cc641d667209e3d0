using System.Net;
using System.Text;
using System.Text.Json;
using Broker.MessageLog.Segments;
using Broker.Protocol.Envelopes;
using Broker.Testing;

namespace Broker.FunctionalTests;

/// <summary>
/// A security server whose message log cannot be written acknowledges no exchange: the information system gets
/// <c>*.MessageLogFailed</c> for the exchange whose record failed (its request was logged while it travelled, so it may
/// have been served), and no further exchange is started while the log cannot write. The log directory is made unusable
/// (permissions do not stop root) by replacing it with a regular file right when the open segment is full, so that
/// the next record needs a new segment file there; putting the directory back lets traffic through again.
/// </summary>
public sealed class MessageLogFailureTests
{
    private const string LandClient = "MN/GOV/LAND/land-services";
    private const int MaxSegmentBytes = 64 * 1024;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public Task ConsumerLogUnwritable_ClientGetsClientProxyMessageLogFailed_AndNoFurtherRequestLeaves() =>
        AssertLogFailureIsContainedAsync(SampleNetworkFixture.Land, "Server.ClientProxy.MessageLogFailed", "consumer-log-", "a request was sent on while the log could not write");

    [Fact]
    public Task ProviderLogUnwritable_ClientGetsServerProxyMessageLogFailed_AndTheServiceIsNotCalledAgain() =>
        AssertLogFailureIsContainedAsync(SampleNetworkFixture.Gasr, "Server.ServerProxy.MessageLogFailed", "provider-log-", "the service was called while the provider's log could not write");

    // the first exchange after the log breaks fails with the fault; the next is refused before it reaches the service;
    // health says why; once the directory is back, traffic flows again
    private static async Task AssertLogFailureIsContainedAsync(string server, string faultCode, string prefix, string leaked)
    {
        await using var probe = await RecordingService.StartAsync();
        await using var network = await StartAsync(probe);
        await FillOpenSegmentAsync(network, server);

        using (UnusableDirectory.Replace(MessageLogFiles.DirectoryOf(network, server)))
        {
            using var failed = await SendAsync(network, ProbeService.Path(prefix + "first-"));
            await FaultAssert.IsFaultAsync(failed, HttpStatusCode.InternalServerError, faultCode);
            using var refused = await SendAsync(network, ProbeService.Path(prefix + "broken-"));
            await FaultAssert.IsFaultAsync(refused, HttpStatusCode.InternalServerError, faultCode);
            await AssertHealthReportsTheFailureAsync(network, server);
        }

        Assert.False(probe.Saw(prefix + "broken-"), leaked);
        await AssertTrafficWorksAgainAsync(network, probe, server);
    }

    // time-stamping is slowed down so that no timestamp record closes the full segment before the test breaks the directory
    private static Task<TestNetwork> StartAsync(RecordingService probe) =>
        TestNetwork.StartAsync(
            definition => definition.WithProbe(probe.Url),
            configure: settings => settings with
            {
                ConfigureSecurityServer = o =>
                {
                    o.MessageLog.MaxSegmentBytes = MaxSegmentBytes;
                    o.MessageLog.Timestamping.Interval = TimeSpan.FromHours(1);
                    o.MessageLog.MinFreeBytes = 0; // "healthy" asserted below must not depend on the test machine's free disk space
                },
            });

    /// <summary>
    /// An echo of a body larger than a segment: each security server's last record (the response) alone fills its open
    /// segment, so its next record must go to a new file.
    /// </summary>
    private static async Task FillOpenSegmentAsync(TestNetwork network, string server)
    {
        var payload = "{\"fill\":\"" + new string('x', MaxSegmentBytes + 1024) + "\"}";
        using (var request = new HttpRequestMessage(HttpMethod.Post, new Uri(network.ClientUrl(SampleNetworkFixture.Land), "/r1/MN/GOV/GASR/civil-registry/citizens/echo")))
        {
            request.Headers.TryAddWithoutValidation("X-Road-Client", LandClient);
            request.Content = new StringContent(payload, Encoding.UTF8, "application/json");
            using var response = await network.Http.SendAsync(request, Cancel);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var open = MessageLogFiles.LogOf(network, server).Writer.CurrentSegment;
        Assert.True(new FileInfo(open).Length >= MaxSegmentBytes, $"{open} is not full, so the next record would not need a new segment");
    }

    private static async Task AssertHealthReportsTheFailureAsync(TestNetwork network, string server)
    {
        var health = await SecurityServerHealth.GetAsync(network.Http, network.ClientUrl(server));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.Code);
        Assert.Equal("unhealthy", health.Status);
        Assert.Equal(JsonValueKind.String, health.MessageLog.GetProperty("failure").ValueKind);
    }

    private static async Task AssertTrafficWorksAgainAsync(TestNetwork network, RecordingService probe, string server)
    {
        // while the log failed, one exchange a second probes it; the first probe after the repair goes through
        HttpResponseMessage response;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            response = await SendAsync(network, ProbeService.Path("log-restored-"));
            if (response.StatusCode == HttpStatusCode.OK || DateTime.UtcNow > deadline)
            {
                break;
            }

            response.Dispose();
            await Task.Delay(200, Cancel);
        }

        using var _ = response;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(probe.Saw("log-restored-"));
        var health = await SecurityServerHealth.GetAsync(network.Http, network.ClientUrl(server));
        Assert.Equal("healthy", health.Status);
        Assert.Equal(JsonValueKind.Null, health.MessageLog.GetProperty("failure").ValueKind);

        // the failed write left nothing behind: the chain goes on unbroken into the new segment
        var directory = MessageLogFiles.DirectoryOf(network, server);
        var id = response.Headers.GetValues("X-Road-Id").Single();
        var records = MessageLogFiles.ReadAll(directory);
        MessageLogFiles.AssertChainIntact(records);
        records.Record(id, EnvelopeKind.Request);
        records.Record(id, EnvelopeKind.Response);
        Assert.True(LogSegment.List(directory).Count >= 2, "no new segment was started after the directory came back");
    }

    private static async Task<HttpResponseMessage> SendAsync(TestNetwork network, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(network.ClientUrl(SampleNetworkFixture.Land), path));
        request.Headers.TryAddWithoutValidation("X-Road-Client", LandClient);
        return await network.Http.SendAsync(request, Cancel);
    }
}
