using Broker.GlobalConfiguration.Client;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class GlobalConfigurationServiceCollectionExtensions
{
    /// <summary>Registers the global configuration client: a hosted poller and the <see cref="IGlobalConfigurationProvider"/>.</summary>
    public static IServiceCollection AddGlobalConfigurationClient(this IServiceCollection services, Action<GlobalConfigurationOptions> configure)
    {
        services.AddOptions<GlobalConfigurationOptions>().Configure(configure).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GlobalConfigurationClient>();
        services.TryAddSingleton<IGlobalConfigurationProvider>(sp => sp.GetRequiredService<GlobalConfigurationClient>());
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<GlobalConfigurationClient>());
        return services;
    }
}
