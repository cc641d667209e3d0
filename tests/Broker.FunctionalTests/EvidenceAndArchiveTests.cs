using System.IO.Compression;
using System.Net;
using System.Text;
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
        await using var network = await TestNetwork.StartAsync(configure: settings => settings with
        {
            ConfigureSecurityServer = o =>
            {
                o.MessageLog.MaxSegmentBytes = 64 * 1024;
                o.MessageLog.KeepArchivedSegments = TimeSpan.Zero;
                o.MessageLog.ArchiveInterval = TimeSpan.FromHours(1); // archived below, on demand
            },
        });

        var ids = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(network.ClientUrl(SampleNetworkFixture.Land), "/r1/MN/GOV/GASR/civil-registry/citizens/echo"));
            request.Headers.Add("X-Road-Client", LandClient);
            request.Content = new StringContent("{\"n\":" + i + ",\"pad\":\"" + new string('x', 3000) + "\"}", Encoding.UTF8, "application/json");
            using var response = await network.Http.SendAsync(request, Cancel);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            ids.Add(response.Headers.GetValues("X-Road-Id").Single());
        }

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
}
