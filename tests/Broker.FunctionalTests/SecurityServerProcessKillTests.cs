using System.Diagnostics;
using System.Globalization;
using System.Net;
using Broker.Cli.Network;
using Broker.Pki.Authority;
using Broker.Protocol.Envelopes;
using Broker.Testing;

namespace Broker.FunctionalTests;

/// <summary>
/// The land office's security server (the consumer) as its own process (<c>broker security-server</c>), on the ports
/// the global configuration names, killed (SIGKILL) under load and started again on the same state directory: its
/// message log still verifies, holds both records of every exchange its information system saw acknowledged, and the
/// records logged before the kill are time-stamped after the restart.
/// </summary>
public sealed class SecurityServerProcessKillTests
{
    private const string LandClient = "MN/GOV/LAND/land-services";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConsumerProcessKilledUnderLoad_LogVerifiesAfterRestartAndHoldsEveryAcknowledgedExchange()
    {
        await using var probe = await RecordingService.StartAsync();
        await using var network = await TestNetwork.StartAsync(definition => definition.WithProbe(probe.Url), timeoutSeconds: 15);
        var inProcess = network.Network.SecurityServers[SampleNetworkFixture.Land];
        await inProcess.App.StopAsync(Cancel); // frees its ports for the process
        var state = Path.Combine(network.Directory, "land-process");
        var logDirectory = Path.Combine(state, "messagelog");

        using var first = StartSecurityServer(network, state, inProcess.ClientUrl.Port, inProcess.ServiceUrl.Port);
        Process? second = null;
        try
        {
            await WaitForExchangeAsync(network, "first-start-");

            var load = AcknowledgedLoad.Start(network, clients: 16);
            await load.WaitForAcknowledgedAsync(200);
            first.Kill(entireProcessTree: true); // SIGKILL: no shutdown, writes cut wherever they were
            await first.WaitForExitAsync(Cancel);
            var acknowledged = await load.StopAsync();

            second = StartSecurityServer(network, state, inProcess.ClientUrl.Port, inProcess.ServiceUrl.Port);
            var afterRestart = await WaitForExchangeAsync(network, "after-restart-");

            // the records logged before the kill wait for their time-stamp again after the restart, and get it
            await SecurityServerHealth.WaitForAsync(network.Http, network.ClientUrl(SampleNetworkFixture.Land), h => h.Backlog == 0, "stamping the recovered log", seconds: 30);
            var (exit, report) = await AuditVerifyAsync(network, logDirectory);
            Assert.True(exit == 0, $"broker audit verify exited with {exit}:{Environment.NewLine}{report}");
            var records = MessageLogFiles.ReadAll(logDirectory);
            MessageLogFiles.AssertChainIntact(records);
            MessageLogFiles.AssertEveryMessageStamped(records, PemFiles.LoadCertificate(network.CertificatesDirectory, DevelopmentPki.CentralTimestamping));
            foreach (var id in acknowledged.Append(afterRestart))
            {
                records.Record(id, EnvelopeKind.Request);
                records.Record(id, EnvelopeKind.Response);
            }
        }
        finally
        {
            if (!first.HasExited)
            {
                first.Kill(entireProcessTree: true);
            }

            if (second is not null)
            {
                if (!second.HasExited)
                {
                    second.Kill(entireProcessTree: true);
                }

                second.Dispose();
            }
        }
    }

    /// <summary>Sends until an exchange succeeds (the process fetches the global configuration after it starts listening); its X-Road-Id.</summary>
    private static async Task<string> WaitForExchangeAsync(TestNetwork network, string marker)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        var last = "";
        while (true)
        {
            try
            {
                using var response = await SendAsync(network, ProbeService.Path(marker));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return response.Headers.GetValues("X-Road-Id").Single();
                }

                last = $"HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Cancel)}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }

            Assert.True(DateTime.UtcNow < until, $"no exchange through the security server process succeeded within 30 s; last: {last}");
            await Task.Delay(100, Cancel);
        }
    }

    internal static async Task<HttpResponseMessage> SendAsync(TestNetwork network, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(network.ClientUrl(SampleNetworkFixture.Land), path));
        request.Headers.TryAddWithoutValidation("X-Road-Client", LandClient);
        return await network.Http.SendAsync(request, Cancel);
    }

    private static string BrokerDll
    {
        get
        {
            var broker = Path.Combine(TestNetwork.RepositoryRoot, "src", "Broker.Cli", "bin", "Release", "net10.0", "broker.dll");
            Assert.True(File.Exists(broker), $"{broker} is missing: scripts/test.sh builds it (Release) before the tests");
            return broker;
        }
    }

    private static Process StartSecurityServer(TestNetwork network, string state, int clientPort, int servicePort)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
        {
            BrokerDll, "security-server", "--anchor", network.Network.AnchorPath, "--id", SampleNetworkFixture.Land,
            "--certs", network.CertificatesDirectory, "--state", state, "--config", Path.Combine(TestNetwork.RepositoryRoot, "config"),
            "--client-port", clientPort.ToString(CultureInfo.InvariantCulture), "--service-port", servicePort.ToString(CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var line = process.StandardOutput.ReadLineAsync(Cancel).AsTask();
        if (!line.Wait(TimeSpan.FromSeconds(60), Cancel) || line.Result?.StartsWith("security server " + SampleNetworkFixture.Land + " listening", StringComparison.Ordinal) != true)
        {
            var error = process.HasExited ? process.StandardError.ReadToEnd() : "(no answer within 60 s)";
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("The security server process did not start: " + line.Status + " " + line.Result + " " + error);
        }

        _ = process.StandardOutput.ReadToEndAsync(Cancel); // keep the pipes drained
        _ = process.StandardError.ReadToEndAsync(Cancel);
        return process;
    }

    private static async Task<(int ExitCode, string Output)> AuditVerifyAsync(TestNetwork network, string directory)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
        {
            BrokerDll, "audit", "verify", directory,
            "--ca", Path.Combine(network.CertificatesDirectory, DevelopmentPki.RootCa + ".pem"),
            "--tsa", Path.Combine(network.CertificatesDirectory, DevelopmentPki.CentralTimestamping + ".pem"),
        })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(Cancel);
        var stderr = process.StandardError.ReadToEndAsync(Cancel);
        await process.WaitForExitAsync(Cancel);
        return (process.ExitCode, await stdout + await stderr);
    }
}
