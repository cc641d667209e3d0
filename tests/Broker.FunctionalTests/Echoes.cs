using System.Net;
using System.Text;
using Broker.Testing;

namespace Broker.FunctionalTests;

/// <summary>POSTs of 3 KB bodies from the land office to the civil registry's echo: a few of them fill a 64 KiB log segment.</summary>
internal static class Echoes
{
    /// <summary>Sends <paramref name="count"/> echoes one after another; the X-Road-Id of each.</summary>
    public static async Task<List<string>> SendAsync(TestNetwork network, int count)
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
