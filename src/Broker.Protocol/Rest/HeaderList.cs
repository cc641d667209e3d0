namespace Broker.Protocol.Rest;

/// <summary>HTTP headers in the order they were received, names as spelled by the sender.</summary>
public sealed class HeaderList : List<KeyValuePair<string, string>>
{
    public HeaderList()
    {
    }

    public HeaderList(int capacity)
        : base(capacity)
    {
    }

    /// <summary>The last value of a header (X-Road takes the last one when a header is repeated), or null.</summary>
    public string? GetLast(string name)
    {
        for (var i = Count - 1; i >= 0; i--)
        {
            if (string.Equals(this[i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return this[i].Value;
            }
        }

        return null;
    }

    public void Add(string name, string value) => Add(new KeyValuePair<string, string>(name, value));

    public int RemoveAll(string name) => RemoveAll(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase));
}
