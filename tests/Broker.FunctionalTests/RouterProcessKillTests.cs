using System.Diagnostics;
using Broker.Testing;

namespace Broker.FunctionalTests;

/// <summary>
/// A second router instance as its own process (<c>broker router</c>) next to the in-process one, sharing the mock
/// Kafka cluster (three brokers) and a redis-server; the process is killed (SIGKILL) under load.
/// </summary>
public sealed class RouterProcessKillTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RouterProcessKilledUnderLoad_AcknowledgedExchangesAreAllDeliveredAndTheRestFaultClearly()
    {
        await using var probe = await RecordingService.StartAsync();
        await using var redis = await RedisServer.StartAsync();
        await using var network = await TestNetwork.StartAsync(
            definition => definition.WithProbe(probe.Url), timeoutSeconds: 15,
            configure: settings => settings with { Transport = "kafka", Kafka = "mock", Redis = redis.ConnectionString });

        var port = RedisServer.FreePort();
        using var router = StartRouterProcess(network, port, redis.ConnectionString);
        try
        {
            await network.Network.AddRoutersAsync([new Uri($"https://127.0.0.1:{port}/")], Cancel);
            Assert.Equal(2, network.Network.Registry.Routers.Count);

            var load = RouterFailoverLoad.Start(network, "proc");
            await load.WaitForAcknowledgedAsync(60);

            router.Kill(entireProcessTree: true); // SIGKILL: no drain, no offset commit, connections cut
            await router.WaitForExitAsync(Cancel);

            await load.WaitForAcknowledgedAsync(load.Acknowledged + 60); // the other instance carries on
            await load.StopAndAssertNothingLostAsync(probe);
        }
        finally
        {
            if (!router.HasExited)
            {
                router.Kill(entireProcessTree: true);
            }
        }
    }

    private static Process StartRouterProcess(TestNetwork network, int port, string redis)
    {
        var broker = Path.Combine(TestNetwork.RepositoryRoot, "src", "Broker.Cli", "bin", "Release", "net10.0", "broker.dll");
        Assert.True(File.Exists(broker), $"{broker} is missing: scripts/test.sh builds it (Release) before the tests");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
        {
            broker, "router", "--anchor", network.Network.AnchorPath, "--certs", network.CertificatesDirectory,
            "--state", Path.Combine(network.Directory, "router-process"), "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--transport", "kafka", "--kafka", network.Network.KafkaCluster!.BootstrapServers, "--reply-partition", "1",
            "--redis", redis, "--instance-id", "router-process",
        })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var line = process.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken).AsTask();
        if (!line.Wait(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken) || line.Result?.StartsWith("router listening", StringComparison.Ordinal) != true)
        {
            var error = process.HasExited ? process.StandardError.ReadToEnd() : "(no answer within 60 s)";
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("The router process did not start: " + line.Status + " " + error);
        }

        _ = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken); // keep the pipes drained
        _ = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        return process;
    }
}
