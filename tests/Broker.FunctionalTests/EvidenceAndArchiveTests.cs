using System.IO.Compression;
using System.Net;
using Broker.MessageLog.Verification;
using Broker.SecurityServer.MessageLog;
using Broker.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Broker.FunctionalTests;

/// <summary>
/// Real exchanges fill several small log segments; they are time-stamped by the network's TSA, archived into a chain of
/// ZIP archives, and served as evidence containers by message id. The offline verifier accepts all of them.
/// </summary>
public sealed class EvidenceAndArchiveTests
{
    private const string LandClient = "MN/GOV/LAND/land-services";
    private const string Registry = "MN/GOV/GASR/civil-registry";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Exchanges_AreArchivedInAVerifyingChain_AndEachMessageHasVerifyingEvidence_ForItsPartiesOnly()
    {
        await using var network = await ArchivingNetwork.StartAsync(log =>
        {
            log.KeepArchivedSegments = TimeSpan.Zero;
            log.ArchiveInterval = TimeSpan.FromHours(1); // archived below, on demand
        });

        var ids = await ArchivingNetwork.SendEchoesAsync(network, 40);

        foreach (var serverId in new[] { SampleNetworkFixture.Land, SampleNetworkFixture.Gasr })
        {
            var services = network.Network.SecurityServers[serverId].App.Services;
            var log = services.GetRequiredService<SecurityServerMessageLog>();
            Assert.True(await log.Timestamper.FlushAsync(Cancel), "the TSA did not stamp the log");
            var archived = services.GetRequiredService<MessageLogArchiver>().ArchiveNow();
            Assert.True(archived.Count >= 3, $"{serverId}: {archived.Count} archives");

            var report = new LogVerifier().Verify(log.Options.ArchiveDirectory!);
            Assert.True(report.Errors == 0, string.Join("\n", report.Findings));
            Assert.Equal(archived.Count, report.Archives);
            Assert.True(report.Messages >= 60, $"{report.Messages} messages in the archives");
        }

        // evidence of one message, from both parties' security servers, verifies on its own
        var id = ids[5];
        foreach (var (serverId, client) in new[] { (SampleNetworkFixture.Land, LandClient), (SampleNetworkFixture.Gasr, Registry) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(network.ClientUrl(serverId), "/evidence/" + Uri.EscapeDataString(id)));
            request.Headers.Add("X-Road-Client", client);
            using var response = await network.Http.SendAsync(request, Cancel);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
            var path = Path.Combine(network.Directory, $"evidence-{serverId.Replace('/', '-')}.zip");
            await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync(Cancel), Cancel);
            using (var zip = ZipFile.OpenRead(path))
            {
                Assert.Equal(2, zip.Entries.Count(e => e.FullName.StartsWith("records/", StringComparison.Ordinal)));
            }

            var report = new LogVerifier().Verify(path);
            Assert.True(report.Errors == 0, string.Join("\n", report.Findings));
            Assert.Equal(2, report.Messages);
            Assert.Equal(2, report.SignaturesVerified);
        }

        // a subsystem that took no part gets the same answer as for an unknown id
        foreach (var messageId in new[] { id, "MN-no-such-message" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(network.ClientUrl(SampleNetworkFixture.Portal), "/evidence/" + messageId));
            request.Headers.Add("X-Road-Client", "MN/GOV/EMONGOLIA/portal-backend");
            using var response = await network.Http.SendAsync(request, Cancel);
            await FaultAssert.IsFaultAsync(response, HttpStatusCode.NotFound, "Server.ClientProxy.EvidenceNotFound");
        }
    }

    [Fact]
    public async Task Health_ShowsTheClosedSegmentsThatWaitForTheirArchive_AndWhetherThatIsMoreThanTheBacklogLimit()
    {
        await using var network = await ArchivingNetwork.StartAsync(log =>
        {
            log.ArchiveBacklogLimit = 100 * 1024;
            log.ArchiveInterval = TimeSpan.FromHours(1);
            log.Timestamping.Interval = TimeSpan.FromHours(1); // nothing stamped, so nothing archivable, until flushed below
        });

        await ArchivingNetwork.SendEchoesAsync(network, 30);
        var land = network.ClientUrl(SampleNetworkFixture.Land);
        var log = network.Network.SecurityServers[SampleNetworkFixture.Land].App.Services.GetRequiredService<SecurityServerMessageLog>();
        var closed = Directory.GetFiles(log.Options.Directory!, "*.mlog").Where(f => f != log.Writer.CurrentSegment).Sum(f => new FileInfo(f).Length);
        Assert.True(closed > 100 * 1024, $"{closed} bytes in closed segments");

        var waiting = (await SecurityServerHealth.GetAsync(network.Http, land)).MessageLog;
        Assert.Equal(closed, waiting.GetProperty("archiveBacklogBytes").GetInt64());
        Assert.True(waiting.GetProperty("archiveBehind").GetBoolean(), waiting.ToString());

        Assert.True(await log.Timestamper.FlushAsync(Cancel), "the TSA did not stamp the log");
        var services = network.Network.SecurityServers[SampleNetworkFixture.Land].App.Services;
        Assert.NotEmpty(services.GetRequiredService<MessageLogArchiver>().ArchiveNow());
        var caughtUp = (await SecurityServerHealth.GetAsync(network.Http, land)).MessageLog;
        Assert.Equal(0, caughtUp.GetProperty("archiveBacklogBytes").GetInt64());
        Assert.False(caughtUp.GetProperty("archiveBehind").GetBoolean(), caughtUp.ToString());
    }

    [Fact]
    public async Task TheBackgroundArchiver_ArchivesClosedSegmentsOnItsOwn_IntoAVerifyingChain()
    {
        await using var network = await ArchivingNetwork.StartAsync(log =>
        {
            log.ArchiveInterval = TimeSpan.FromMilliseconds(500);
            log.Timestamping.Interval = TimeSpan.FromMilliseconds(200);
        });

        await ArchivingNetwork.SendEchoesAsync(network, 30);

        // nobody calls ArchiveNow: the archiver's own passes catch up (in the idle scheduling class, which IdleThreadTests checks)
        var health = await SecurityServerHealth.WaitForAsync(
            network.Http, network.ClientUrl(SampleNetworkFixture.Land),
            h => h.MessageLog.GetProperty("archiveBacklogBytes").GetInt64() == 0 && h.MessageLog.GetProperty("archives").GetInt32() >= 2,
            "the background archiver catching up", seconds: 60); // idle class: slower when other tests load the CPU
        var log = network.Network.SecurityServers[SampleNetworkFixture.Land].App.Services.GetRequiredService<SecurityServerMessageLog>();
        var report = new LogVerifier().Verify(log.Options.ArchiveDirectory!);
        Assert.True(report.Errors == 0, string.Join("\n", report.Findings));
        Assert.Equal(health.MessageLog.GetProperty("archives").GetInt32(), report.Archives);
    }
}
