using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Broker.Router.State.Instances;

/// <summary>
/// Registers this router instance once it listens, renews the entry every <see cref="RouterStateOptions.HeartbeatInterval"/>,
/// and removes it on orderly shutdown (an instance that dies simply stops renewing and is unlisted after the TTL).
/// </summary>
internal sealed class InstanceHeartbeatService(
    IInstanceRegistry registry,
    LocalRouterInstance instance,
    IOptions<RouterStateOptions> options,
    TimeProvider time,
    IServiceProvider services,
    ILogger<InstanceHeartbeatService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await WaitUntilListeningAsync(stoppingToken).ConfigureAwait(false);
            StateLog.InstanceStarted(logger, instance.InstanceId, instance.Address, registry.Store);
            using var timer = new PeriodicTimer(options.Value.HeartbeatInterval, time);
            do
            {
                await registry.HeartbeatAsync(instance.Snapshot(time.GetUtcNow()), stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await registry.RemoveAsync(instance.InstanceId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Hosted services start before the server listens: wait for it, then take its first address unless one is configured.</summary>
    private async Task WaitUntilListeningAsync(CancellationToken stoppingToken)
    {
        var lifetime = services.GetService<IHostApplicationLifetime>();
        if (lifetime is not null && !lifetime.ApplicationStarted.IsCancellationRequested)
        {
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
            await started.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
        }

        if (instance.Address.Length == 0
            && services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() is { } address)
        {
            instance.Address = address;
        }
    }
}
