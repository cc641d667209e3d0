using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Broker.Router.Delivery;

/// <summary>
/// Checks <see cref="RouterOptions.Resilience"/> at start: its DataAnnotations (the nested object is not reached by
/// <c>ValidateDataAnnotations</c> on <see cref="RouterOptions"/>) and the cross-field rule, every error at once, each
/// named <c>Resilience.Property</c>.
/// </summary>
internal sealed class DeliveryResilienceOptionsValidator : IValidateOptions<RouterOptions>
{
    private const string Prefix = nameof(RouterOptions.Resilience) + ".";

    public ValidateOptionsResult Validate(string? name, RouterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var resilience = options.Resilience;
        if (resilience is null)
        {
            return ValidateOptionsResult.Fail($"{nameof(RouterOptions.Resilience)} is required.");
        }

        var results = new List<ValidationResult>();
        Validator.TryValidateObject(resilience, new ValidationContext(resilience), results, validateAllProperties: true);
        var failures = results.Select(r => $"{Prefix}{string.Join(", ", r.MemberNames)}: {r.ErrorMessage}").ToList();
        if (resilience.RetryBaseDelay > resilience.RetryMaxDelay)
        {
            failures.Add($"{Prefix}{nameof(DeliveryResilienceOptions.RetryBaseDelay)} ({resilience.RetryBaseDelay}) must not exceed {nameof(DeliveryResilienceOptions.RetryMaxDelay)} ({resilience.RetryMaxDelay}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
