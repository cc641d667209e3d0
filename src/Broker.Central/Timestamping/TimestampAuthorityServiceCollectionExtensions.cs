using System.Security.Cryptography.X509Certificates;
using Broker.Central.Timestamping;
using Broker.Cryptography.Signing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

public static class TimestampAuthorityServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="TimestampAuthority"/> signing with <paramref name="certificateWithKey"/> (a software
    /// key; register another <see cref="TimestampAuthority"/> first to use a different key) and the host's clock.
    /// </summary>
    public static IServiceCollection AddTimestampAuthority(this IServiceCollection services, X509Certificate2 certificateWithKey)
    {
        ArgumentNullException.ThrowIfNull(certificateWithKey);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => new TimestampSigningKey(new SoftwareSigningKey(certificateWithKey, [])));
        services.TryAddSingleton(sp => new TimestampAuthority(
            sp.GetRequiredService<TimestampSigningKey>().Key,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<TimestampAuthority>>()));
        return services;
    }
}
