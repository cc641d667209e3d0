using System.Diagnostics;
using System.Globalization;

// broker-load URL [--client ID] [--concurrency N] [--seconds S]
// Drives N concurrent keep-alive clients against URL for S seconds; prints exchanges/s and latency percentiles.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: Broker.LoadTest URL [--client X-Road-Client] [--concurrency 64] [--seconds 10]");
    return 2;
}

var url = new Uri(args[0]);
string? client = Arg("--client");
var concurrency = int.Parse(Arg("--concurrency") ?? "64", CultureInfo.InvariantCulture);
var seconds = double.Parse(Arg("--seconds") ?? "10", CultureInfo.InvariantCulture);
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, UseProxy = false }) { Timeout = TimeSpan.FromSeconds(60) };

// warm-up: connections, JIT, certificate caches
await RunAsync(TimeSpan.FromSeconds(2));
var (latencies, errors) = await RunAsync(TimeSpan.FromSeconds(seconds));
latencies.Sort();
double P(double q) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)(q * latencies.Count))];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{url} concurrency={concurrency} seconds={seconds}: {latencies.Count / seconds:F0} exchanges/s, p50 {P(0.50):F2} ms, p99 {P(0.99):F2} ms, errors {errors}"));
return errors == 0 ? 0 : 1;

async Task<(List<double> Latencies, int Errors)> RunAsync(TimeSpan duration)
{
    var stop = Stopwatch.StartNew();
    var all = new List<double>[concurrency];
    var errorCount = 0;
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async i =>
    {
        var mine = all[i] = new List<double>(100_000);
        while (stop.Elapsed < duration)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (client is not null)
            {
                request.Headers.TryAddWithoutValidation("X-Road-Client", client);
            }

            var started = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref errorCount);
            }

            mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }));
    return (all.SelectMany(l => l).ToList(), errorCount);
}

string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
