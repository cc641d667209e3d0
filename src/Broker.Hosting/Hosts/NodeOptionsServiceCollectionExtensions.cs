using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class NodeOptionsServiceCollectionExtensions
{
    /// <summary>
    /// Registers options built in code (by <c>broker up</c> or a test) with the same validation as bound ones:
    /// DataAnnotations, checked at start, every error at once. The instance's public properties are copied, so a
    /// new option needs no extra line here.
    /// </summary>
    public static OptionsBuilder<T> AddValidatedOptions<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>(
        this IServiceCollection services, T instance)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(instance);
        return services.AddOptions<T>()
            .Configure(target =>
            {
                foreach (var property in typeof(T).GetProperties())
                {
                    if (property.CanRead && property.CanWrite)
                    {
                        property.SetValue(target, property.GetValue(instance));
                    }
                }
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
    }
}
