using Microsoft.AspNetCore.Builder;

namespace Broker.Cli.Commands;

/// <summary>Runs one built host as this process until Ctrl-C or SIGTERM, then stops it gracefully.</summary>
internal static class HostRunner
{
    public static async Task<int> RunUntilStoppedAsync(WebApplication app, Func<WebApplication, string> banner, CancellationToken cancellationToken)
    {
        await app.StartAsync(cancellationToken);
        Console.WriteLine(banner(app));
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }

        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
        return 0;
    }
}
