using System.Collections.Concurrent;
using System.Net;
using Broker.Testing;

namespace Broker.FunctionalTests;

/// <summary>
/// Clients in a loop through the land office's security server to the probe service, keeping the X-Road-Id of every
/// exchange acknowledged to them (200 with the verified response). A request cut off (the server was killed) is not
/// acknowledged, and the loop goes on until stopped.
/// </summary>
internal sealed class AcknowledgedLoad
{
    private readonly ConcurrentBag<string> _acknowledged = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _loops;

    private AcknowledgedLoad(TestNetwork network, int clients) =>
        _loops = Enumerable.Range(0, clients).Select(c => LoopAsync(network, $"load-{c}")).ToArray();

    public static AcknowledgedLoad Start(TestNetwork network, int clients) => new(network, clients);

    /// <summary>Waits until <paramref name="count"/> exchanges in all have been acknowledged (60 s at most).</summary>
    public async Task WaitForAcknowledgedAsync(int count)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (_acknowledged.Count < count)
        {
            Assert.True(DateTime.UtcNow < until, $"the load did not progress within 60 s ({_acknowledged.Count} acknowledged)");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Stops the clients; the X-Road-Ids acknowledged to them.</summary>
    public async Task<IReadOnlyCollection<string>> StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
        _stop.Dispose();
        return [.. _acknowledged];
    }

    private async Task LoopAsync(TestNetwork network, string client)
    {
        await Task.Yield();
        for (var i = 0; !_stop.IsCancellationRequested; i++)
        {
            try
            {
                using var response = await SecurityServerProcessKillTests.SendAsync(network, ProbeService.Path($"{client}-{i}-"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    _acknowledged.Add(response.Headers.GetValues("X-Road-Id").Single());
                }
            }
            catch (HttpRequestException)
            {
                // the server was killed under this request: not acknowledged
            }
        }
    }
}
