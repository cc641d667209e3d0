using Broker.Protocol.Identifiers;
using Microsoft.Extensions.Options;

namespace Broker.Router.State.RateLimiting;

/// <summary>The rule in force for each client: its own entry, else the default; null when the client is not limited.</summary>
internal sealed class RateLimitPolicy
{
    private readonly RateLimitRule? _default;
    private readonly Dictionary<ClientId, RateLimitRule?> _clients;

    public RateLimitPolicy(IOptions<RouterStateOptions> options)
    {
        var o = options.Value;
        _default = o.RateLimit.IsUnlimited ? null : o.RateLimit;
        _clients = o.ClientRateLimits.ToDictionary(e => ClientId.Parse(e.Key), e => e.Value.IsUnlimited ? null : e.Value);
    }

    public RateLimitRule? RuleFor(ClientId client) => _clients.TryGetValue(client, out var rule) ? rule : _default;
}
