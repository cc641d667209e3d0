using System.Text.Json;
using Broker.Hosting.Faults;
using Broker.Protocol.Faults;
using Microsoft.AspNetCore.Http;

namespace Broker.Router.State.Instances;

/// <summary>
/// <c>GET /instances</c> on the router's mTLS port, for operators: the live router instances as the registry knows
/// them (every instance on the same Redis; only itself without Redis). Any peer the router's TLS accepts (a
/// certificate from an approved CA) may read it: the list holds addresses and times, nothing secret.
/// </summary>
internal sealed class InstancesEndpoint(IInstanceRegistry registry, LocalRouterInstance instance)
{
    public const string Path = "/instances";

    public static bool Matches(HttpRequest request) => HttpMethods.IsGet(request.Method) && request.Path == Path;

    public async Task HandleAsync(HttpContext context)
    {
        var instances = await registry.ListAsync(context.RequestAborted).ConfigureAwait(false);
        if (instances is null)
        {
            await FaultResponse.WriteAsync(context, FaultCodes.Create(FaultCodes.RouterStateUnavailable, "The instance registry (Redis) is unavailable.")).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        var report = new InstancesReport(instance.InstanceId, registry.Store, instances);
        await JsonSerializer.SerializeAsync(context.Response.Body, report, RouterStateJsonContext.Default.InstancesReport, context.RequestAborted).ConfigureAwait(false);
    }
}
