using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Broker.Hosting.Hosts;

/// <summary>Service defaults shared by every Broker host (Kestrel limits, logging, clock, global configuration).</summary>
public static class NodeHost
{
    private const string EndpointItem = "broker.endpoint";

    public static WebApplicationBuilder CreateBuilder(NodeHostSettings settings, bool withGlobalConfiguration = true)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        builder.Logging.SetMinimumLevel(settings.MinimumLogLevel);
        builder.Services.AddSingleton(settings.Time);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = null; // each handler enforces its own bound while reading
            k.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(15);
        });
        if (withGlobalConfiguration)
        {
            builder.Services.AddGlobalConfigurationClient(o =>
            {
                o.AnchorPath = settings.AnchorPath;
                o.CacheDirectory = Path.Combine(settings.StateDirectory, "globalconf");
                o.RefreshInterval = settings.ConfigurationRefresh;
            });
        }

        return builder;
    }

    /// <summary>Marks the connections of one listener so that handlers can tell endpoints apart on a shared host.</summary>
    public static void Tag(IConnectionBuilder listen, string endpoint) =>
        listen.Use(next => connection =>
        {
            connection.Items[EndpointItem] = endpoint;
            return next(connection);
        });

    public static bool IsEndpoint(HttpContext context, string endpoint) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(EndpointItem, out var value) == true
        && Equals(value, endpoint);

    /// <summary>The first address the host listens on for a tagged endpoint's port (after start).</summary>
    public static Uri Address(WebApplication app, int index = 0)
    {
        ArgumentNullException.ThrowIfNull(app);
        return new Uri(app.Urls.ElementAt(index));
    }
}
