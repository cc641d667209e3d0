using System.Collections.Concurrent;
using System.Net;
using Broker.Testing;

namespace Broker.FunctionalTests;

/// <summary>
/// Clients in a loop through the land office's security server to the probe service while a router instance is
/// taken away; what each exchange ended with is kept so that nothing acknowledged can be lost unnoticed.
/// </summary>
internal sealed class RouterFailoverLoad
{
    private const string LandClient = "MN/GOV/LAND/land-services";
    private readonly ConcurrentDictionary<string, (HttpStatusCode Status, string? Error)> _outcomes = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _loops;
    private int _sent;
    private int _acknowledged;

    private RouterFailoverLoad(TestNetwork network, string prefix, int clients) =>
        _loops = Enumerable.Range(0, clients).Select(c => LoopAsync(network, $"{prefix}-{c}")).ToArray();

    public int Acknowledged => Volatile.Read(ref _acknowledged);

    public static RouterFailoverLoad Start(TestNetwork network, string prefix, int clients = 8) => new(network, prefix, clients);

    /// <summary>Waits until <paramref name="count"/> exchanges in all have been acknowledged (60 s at most).</summary>
    public async Task WaitForAcknowledgedAsync(int count)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (Acknowledged < count)
        {
            Assert.True(DateTime.UtcNow < until, "the load did not progress within 60 s");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>
    /// Stops the clients and checks: every request came back (answer or fault, none hung); every acknowledged exchange
    /// reached the provider; every other one carries an X-Road-Error; the provider saw nothing no client asked for.
    /// </summary>
    public async Task StopAndAssertNothingLostAsync(RecordingService probe)
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
        _stop.Dispose();

        Assert.Equal(Volatile.Read(ref _sent), _outcomes.Count);
        foreach (var (marker, (status, error)) in _outcomes)
        {
            if (status == HttpStatusCode.OK)
            {
                Assert.True(probe.Saw(marker), $"{marker} was acknowledged but never reached the provider");
            }
            else
            {
                Assert.False(string.IsNullOrEmpty(error), $"{marker} ended with HTTP {(int)status} and no X-Road-Error");
            }
        }

        Assert.All(probe.Requests, r => Assert.Contains(_outcomes.Keys, marker => r.Contains(marker)));
    }

    private async Task LoopAsync(TestNetwork network, string client)
    {
        await Task.Yield();
        for (var i = 0; !_stop.IsCancellationRequested; i++)
        {
            var marker = $"{client}-{i}-";
            Interlocked.Increment(ref _sent);
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(network.ClientUrl(SampleNetworkFixture.Land), ProbeService.Path(marker)));
            request.Headers.TryAddWithoutValidation("X-Road-Client", LandClient);
            using var response = await network.Http.SendAsync(request, TestContext.Current.CancellationToken);
            _outcomes[marker] = (response.StatusCode, response.Headers.TryGetValues("X-Road-Error", out var codes) ? codes.First() : null);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Interlocked.Increment(ref _acknowledged);
            }
        }
    }
}
