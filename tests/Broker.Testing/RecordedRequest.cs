using System.Text;

namespace Broker.Testing;

/// <summary>One request a <see cref="RecordingService"/> received, as it arrived.</summary>
public sealed record RecordedRequest(string Method, string Target, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    /// <summary>True when <paramref name="marker"/> occurs in the request line, a header, or the body (UTF-8).</summary>
    public bool Contains(string marker) =>
        Target.Contains(marker, StringComparison.Ordinal)
        || Headers.Any(h => h.Value.Contains(marker, StringComparison.Ordinal))
        || Encoding.UTF8.GetString(Body).Contains(marker, StringComparison.Ordinal);
}
