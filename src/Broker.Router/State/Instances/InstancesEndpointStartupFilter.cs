using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Broker.Router.State.Instances;

/// <summary>
/// Puts <see cref="InstancesEndpoint"/> in front of the router's pipeline, so that <c>AddRouterState</c> alone
/// brings the endpoint and the host's own request handling (the exchange endpoint) stays as it is.
/// </summary>
internal sealed class InstancesEndpointStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        var endpoint = app.ApplicationServices.GetRequiredService<InstancesEndpoint>();
        app.Use((context, nextMiddleware) => InstancesEndpoint.Matches(context.Request) ? endpoint.HandleAsync(context) : nextMiddleware(context));
        next(app);
    };
}
