using System.Net;
using Broker.GlobalConfiguration.Client;
using Broker.Hosting.Faults;
using Broker.Hosting.Hosts;
using Broker.Hosting.Tls;
using Broker.Protocol.Faults;
using Broker.SecurityServer.ClientProxy;
using Broker.SecurityServer.ServiceProxy;
using Broker.SecurityServer.MessageLog;
using Broker.MessageLog.Timestamping;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Broker.SecurityServer.Hosting;

/// <summary>Builds a security server: the client-proxy port for the agency's systems and the mTLS service port for the router.</summary>
public static class SecurityServerHost
{
    private const string ClientEndpoint = "client";
    private const string ServiceEndpoint = "service";

    public static WebApplication Build(SecurityServerOptions options, NodeHostSettings settings)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.MessageLog.Directory ??= Path.Combine(settings.StateDirectory, "messagelog");
        options.MessageLog.ArchiveDirectory ??= Path.Combine(settings.StateDirectory, "messagelog-archive");
        var builder = NodeHost.CreateBuilder(settings);
        builder.Services.AddSecurityServer(options);
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            var runtime = kestrel.ApplicationServices.GetRequiredService<SecurityServerRuntime>();
            var configuration = kestrel.ApplicationServices.GetRequiredService<IGlobalConfigurationProvider>();
            kestrel.Listen(IPAddress.Parse(options.ClientListenAddress), options.ClientPort, listen => NodeHost.Tag(listen, ClientEndpoint));
            kestrel.Listen(IPAddress.Loopback, options.ServicePort, listen =>
            {
                NodeHost.Tag(listen, ServiceEndpoint);
                NodeTls.UseMutualTls(listen, runtime.AuthCertificate, configuration);
            });
        });

        var app = builder.Build();
        var clientProxy = app.Services.GetRequiredService<ClientProxyHandler>();
        var serviceProxy = app.Services.GetRequiredService<ServiceProxyHandler>();
        var evidence = app.Services.GetRequiredService<EvidenceHandler>();
        app.Run(context =>
        {
            if (NodeHost.IsEndpoint(context, ServiceEndpoint))
            {
                return HttpMethods.IsPost(context.Request.Method) && context.Request.Path == Broker.Hosting.Http.HopHeaders.ExchangePath
                    ? serviceProxy.HandleAsync(context)
                    : FaultResponse.WriteAsync(context, FaultCodes.Create(FaultCodes.ServerProxyInvalidMessage, "Envelopes are accepted by POST /v1/exchange only."));
            }

            if (context.Request.Path == "/health")
            {
                return WriteHealthAsync(context);
            }

            if (HttpMethods.IsGet(context.Request.Method) && context.Request.Path.StartsWithSegments(EvidenceHandler.Path.TrimEnd('/'), StringComparison.Ordinal))
            {
                return evidence.HandleAsync(context);
            }

            if (HttpMethods.IsGet(context.Request.Method) && context.Request.Path.StartsWithSegments(ClientProxyHandler.DeferredPath.TrimEnd('/'), StringComparison.Ordinal))
            {
                return clientProxy.FetchDeferredAsync(context);
            }

            return clientProxy.HandleAsync(context);
        });
        return app;
    }

    public static IServiceCollection AddSecurityServer(this IServiceCollection services, SecurityServerOptions options)
    {
        services.AddValidatedOptions(options);
        services.AddSingleton<SecurityServerRuntime>();
        services.AddSingleton<DeferredExchanges>();
        services.AddSingleton<IValidateOptions<SecurityServerOptions>, MessageLogOptionsValidator>();
        services.TryAddSingleton<ITimestampSource, GlobalConfigurationTimestampSource>();
        services.AddSingleton<SecurityServerMessageLog>();
        services.AddHostedService(sp => sp.GetRequiredService<SecurityServerMessageLog>());
        services.AddSingleton<MessageLogArchiver>();
        services.AddSingleton<EvidenceHandler>();
        services.AddHostedService(sp => sp.GetRequiredService<MessageLogArchiver>());
        services.AddSingleton<ClientProxyHandler>();
        services.AddSingleton<ServiceProxyHandler>();
        return services;
    }

    private static Task WriteHealthAsync(HttpContext context)
    {
        var runtime = context.RequestServices.GetRequiredService<SecurityServerRuntime>();
        var messageLog = context.RequestServices.GetRequiredService<SecurityServerMessageLog>();
        var configuration = runtime.Configuration.Current;
        var log = MessageLogHealth.Of(messageLog);
        var healthy = configuration is not null && !configuration.IsExpired(runtime.Time.GetUtcNow()) && log.Failure is null && log.Timestamping.State != "failing";
        context.Response.StatusCode = healthy ? 200 : 503;
        var (signatures, signed) = runtime.Signer.Counts;
        var status = !healthy ? "unhealthy" : log.Timestamping.State == "warning" || log.LowDiskSpace ? "degraded" : "healthy";
        return context.Response.WriteAsJsonAsync(new HealthReport(
            runtime.ServerId.ToString(), status, configuration?.Document.Version, configuration?.Document.ExpiresAt, signatures, signed, log));
    }

    /// <param name="Status"><c>healthy</c>; <c>degraded</c> while log records wait for a time-stamp longer than the warning threshold, or free disk space is low; <c>unhealthy</c> (503).</param>
    /// <param name="Signatures">Signature operations made since start.</param>
    /// <param name="SignedMessages">Messages those signatures covered (more than signatures when batches formed).</param>
    private sealed record HealthReport(
        string Server, string Status, long? GlobalConfigurationVersion, DateTimeOffset? GlobalConfigurationExpiresAt, long Signatures, long SignedMessages,
        MessageLogHealth MessageLog);
}
