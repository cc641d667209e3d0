using System.Net;
using Broker.GlobalConfiguration.Client;
using Broker.Hosting.Faults;
using Broker.Hosting.Hosts;
using Broker.Hosting.Http;
using Broker.Hosting.Tls;
using Broker.Pki.Authority;
using Broker.Protocol.Faults;
using Broker.Router.Delivery;
using Broker.Router.Ingress;
using Broker.Router.Transport;
using Broker.Router.Transport.Embedded;
using Broker.Router.Transport.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Broker.Router;

/// <summary>Builds a router instance: one mTLS endpoint for security servers, the embedded transport by default.</summary>
public static class RouterHost
{
    public static WebApplication Build(RouterOptions options, NodeHostSettings settings)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = NodeHost.CreateBuilder(settings);
        builder.Services.AddRouter(options);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var certificate = kestrel.ApplicationServices.GetRequiredService<RouterCertificate>().Certificate;
            var configuration = kestrel.ApplicationServices.GetRequiredService<IGlobalConfigurationProvider>();
            kestrel.Listen(IPAddress.Loopback, options.Port, listen => NodeTls.UseMutualTls(listen, certificate, configuration));
        });

        var app = builder.Build();
        var ingress = app.Services.GetRequiredService<IngressHandler>();
        var deferred = ActivatorUtilities.CreateInstance<DeferredFetchHandler>(app.Services);
        app.Run(context => HttpMethods.IsPost(context.Request.Method) && context.Request.Path == HopHeaders.ExchangePath
            ? ingress.HandleAsync(context)
            : HttpMethods.IsGet(context.Request.Method) && context.Request.Path == DeferredFetchHandler.Path
            ? deferred.HandleAsync(context)
            : FaultResponse.WriteAsync(context, FaultCodes.Create(FaultCodes.RouterInvalidMessage, "Envelopes are accepted by POST /v1/exchange only.")));
        return app;
    }

    public static IServiceCollection AddRouter(this IServiceCollection services, RouterOptions options)
    {
        services.AddValidatedOptions(options);
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<RouterOptions>>().Value;
            return new RouterCertificate(PemFiles.LoadWithKey(o.CertificatesDirectory, o.TlsCertificate));
        });
        services.AddDeliveryResilience();
        services.TryAddSingleton(sp => new ProviderDelivery(
            sp.GetRequiredService<RouterCertificate>().Certificate,
            sp.GetRequiredService<IGlobalConfigurationProvider>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<DeliveryPipelines>()));
        if (options.Transport == "kafka")
        {
            services.TryAddSingleton<KafkaClients>();
            services.TryAddSingleton<KafkaAudit>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RouterOptions>, KafkaTransportOptionsValidator>());
            services.TryAddSingleton<KafkaTransport>();
            services.TryAddSingleton<KafkaDeliveryWorker>();
            services.TryAddSingleton<IEnvelopeTransport>(sp => sp.GetRequiredService<KafkaTransport>());
            services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<KafkaTransport>());
            services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<KafkaDeliveryWorker>());
            services.AddSingleton<IHostedService, KafkaDeferredWorker>();
        }
        else
        {
            services.TryAddSingleton<EmbeddedTransport>();
            services.TryAddSingleton<IEnvelopeTransport>(sp => sp.GetRequiredService<EmbeddedTransport>());
            services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<EmbeddedTransport>());
        }

        services.AddRouterState(options.State);
        services.TryAddSingleton<IngressHandler>();
        return services;
    }

    /// <summary>The router's TLS identity.</summary>
    public sealed record RouterCertificate(System.Security.Cryptography.X509Certificates.X509Certificate2 Certificate);
}
