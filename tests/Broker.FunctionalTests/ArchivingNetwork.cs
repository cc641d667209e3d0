using System.Net;
using System.Text;
using Broker.SecurityServer.MessageLog;
using Broker.Testing;

namespace Broker.FunctionalTests;

/// <summary>
/// A sample network whose security servers log into 64 KiB segments (so that a few exchanges close several of them, for
/// the archiver), and the exchanges that fill them: POSTs of 3 KB bodies from the land office to the civil registry's echo.
/// </summary>
internal static class ArchivingNetwork
{
    /// <summary>Starts the network; <paramref name="configure"/> sets the rest of the message log's options.</summary>
    public static Task<TestNetwork> StartAsync(Action<MessageLogOptions> configure) =>
        TestNetwork.StartAsync(configure: settings => settings with
        {
            ConfigureSecurityServer = o =>
            {
                o.MessageLog.MaxSegmentBytes = 64 * 1024;
                o.MessageLog.MinFreeBytes = 0; // health must not depend on the test machine's free disk space
                configure(o.MessageLog);
            },
        });

    /// <summary>Sends <paramref name="count"/> echoes one after another; the X-Road-Id of each.</summary>
    public static async Task<List<string>> SendEchoesAsync(TestNetwork network, int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(network.ClientUrl(SampleNetworkFixture.Land), "/r1/MN/GOV/GASR/civil-registry/citizens/echo"));
            request.Headers.Add("X-Road-Client", "MN/GOV/LAND/land-services");
            request.Content = new StringContent("{\"n\":" + i + ",\"pad\":\"" + new string('x', 3000) + "\"}", Encoding.UTF8, "application/json");
            using var response = await network.Http.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            ids.Add(response.Headers.GetValues("X-Road-Id").Single());
        }

        return ids;
    }
}
