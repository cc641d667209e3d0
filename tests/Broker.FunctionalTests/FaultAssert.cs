using System.Net;
using System.Text.Json;

namespace Broker.FunctionalTests;

internal static class FaultAssert
{
    /// <summary>Asserts a bus error: the status, the X-Road-Error header and the JSON body {type, message, detail}.</summary>
    public static async Task IsFaultAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status} but got {(int)response.StatusCode}: {body}");
        Assert.True(response.Headers.TryGetValues("X-Road-Error", out var values), "X-Road-Error header missing: " + body);
        Assert.Equal(code, Assert.Single(values));
        using var json = JsonDocument.Parse(body);
        Assert.Equal(code, json.RootElement.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(json.RootElement.GetProperty("message").GetString()));
        Assert.True(Guid.TryParse(json.RootElement.GetProperty("detail").GetString(), out _));
    }
}
