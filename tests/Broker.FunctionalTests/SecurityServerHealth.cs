using System.Net;
using System.Text.Json;

namespace Broker.FunctionalTests;

/// <summary><c>GET /health</c> on a security server's client port, as a monitoring system reads it.</summary>
internal sealed record SecurityServerHealth(HttpStatusCode Code, string Status, JsonElement MessageLog)
{
    public JsonElement Timestamping => MessageLog.GetProperty("timestamping");

    public string TimestampingState => Timestamping.GetProperty("state").GetString()!;

    public int Backlog => Timestamping.GetProperty("backlog").GetInt32();

    public static async Task<SecurityServerHealth> GetAsync(HttpClient http, Uri clientUrl)
    {
        using var response = await http.GetAsync(new Uri(clientUrl, "/health"), TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        using var json = JsonDocument.Parse(body);
        return new SecurityServerHealth(response.StatusCode, json.RootElement.GetProperty("status").GetString()!, json.RootElement.GetProperty("messageLog").Clone());
    }

    /// <summary>Polls until <paramref name="condition"/> holds (at most <paramref name="seconds"/>); fails with the last report.</summary>
    public static async Task<SecurityServerHealth> WaitForAsync(HttpClient http, Uri clientUrl, Func<SecurityServerHealth, bool> condition, string what, int seconds = 15)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var health = await GetAsync(http, clientUrl);
            if (condition(health))
            {
                return health;
            }

            Assert.True(DateTime.UtcNow < until, $"{what} did not happen within {seconds} s; health: {health.Status} {health.MessageLog}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
