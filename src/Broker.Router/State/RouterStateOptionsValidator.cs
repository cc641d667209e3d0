using Broker.Protocol.Identifiers;
using Broker.Router.State.RateLimiting;
using Microsoft.Extensions.Options;

namespace Broker.Router.State;

/// <summary>Cross-field rules of <see cref="RouterStateOptions"/>, every error reported at once.</summary>
internal sealed class RouterStateOptionsValidator : IValidateOptions<RouterStateOptions>
{
    public ValidateOptionsResult Validate(string? name, RouterStateOptions options)
    {
        var errors = new List<string>();
        if (options.UsesRedis)
        {
            try
            {
                _ = StackExchange.Redis.ConfigurationOptions.Parse(options.Redis!);
            }
            catch (ArgumentException e)
            {
                errors.Add($"State.Redis is not a valid Redis configuration string: {e.Message}");
            }
        }

        if (options.ReplayWindow <= TimeSpan.Zero || options.ReplayWindow > TimeSpan.FromDays(7))
        {
            errors.Add($"State.ReplayWindow must be more than zero and at most 7 days (is {options.ReplayWindow}).");
        }

        if (options.HeartbeatInterval <= TimeSpan.Zero)
        {
            errors.Add($"State.HeartbeatInterval must be more than zero (is {options.HeartbeatInterval}).");
        }

        if (options.InstanceTtl <= options.HeartbeatInterval)
        {
            errors.Add($"State.InstanceTtl ({options.InstanceTtl}) must be longer than State.HeartbeatInterval ({options.HeartbeatInterval}).");
        }

        if (options.InstanceId is { } id && (id.Length is 0 or > 200 || id.Any(char.IsControl)))
        {
            errors.Add("State.InstanceId must be 1–200 characters without control characters.");
        }

        Check("State.RateLimit", options.RateLimit, errors);
        var clients = new HashSet<ClientId>();
        foreach (var (client, rule) in options.ClientRateLimits ?? [])
        {
            if (!ClientId.TryParse(client, out var parsed) || !parsed.IsSubsystem)
            {
                errors.Add($"State.ClientRateLimits: '{client}' is not a client subsystem identifier (INSTANCE/CLASS/MEMBER/SUBSYSTEM).");
            }
            else if (!clients.Add(parsed))
            {
                errors.Add($"State.ClientRateLimits: '{client}' names a client that has another entry already.");
            }

            Check($"State.ClientRateLimits[{client}]", rule, errors);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Check(string name, RateLimitRule? rule, List<string> errors)
    {
        if (rule is null)
        {
            errors.Add($"{name} is missing.");
            return;
        }

        if (!double.IsFinite(rule.RequestsPerSecond) || rule.RequestsPerSecond < 0 || rule.RequestsPerSecond > 1_000_000)
        {
            errors.Add($"{name}.RequestsPerSecond must be between 0 (no limit) and 1000000 (is {rule.RequestsPerSecond}).");
        }

        if (rule.Burst < 0 || rule.Burst > 1_000_000)
        {
            errors.Add($"{name}.Burst must be between 0 (the rate, rounded up) and 1000000 (is {rule.Burst}).");
        }
    }
}
