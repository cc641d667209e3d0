using Broker.Router;
using Broker.Router.Delivery;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Polly.Registry;

namespace Microsoft.Extensions.DependencyInjection;

public static class DeliveryResilienceServiceCollectionExtensions
{
    /// <summary>
    /// Registers the router's resilience pipeline registry, the per-provider delivery pipelines built from
    /// <see cref="RouterOptions.Resilience"/>, and the validation of those options at start.
    /// </summary>
    public static IServiceCollection AddDeliveryResilience(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RouterOptions>, DeliveryResilienceOptionsValidator>());
        services.TryAddSingleton(_ => new ResiliencePipelineRegistry<string>());
        services.TryAddSingleton<DeliveryPipelines>();
        return services;
    }
}
