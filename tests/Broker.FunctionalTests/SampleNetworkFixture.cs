using System.Net;
using System.Net.Sockets;
using Broker.Cli.Network;
using Broker.SecurityServer;
using Broker.Testing;

namespace Broker.FunctionalTests;

/// <summary>
/// The sample network plus two extra services on the civil registry's security server: one whose backend accepts
/// connections and never answers, one whose backend port is closed; and the <see cref="ProbeService"/>, whose
/// recorder tells whether a request reached the provider's information system. Deadline 3 s so timeouts are quick.
/// </summary>
public sealed class SampleNetworkFixture : IAsyncLifetime
{
    public const string Land = "MN/GOV/LAND/ss1";
    public const string Portal = "MN/GOV/EMONGOLIA/ss1";
    public const string Gasr = "MN/GOV/GASR/ss1";
    private readonly TcpListener _hanging = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> _held = [];
    private readonly CancellationTokenSource _stop = new();

    public TestNetwork Network { get; private set; } = null!;

    /// <summary>The recorder behind <see cref="ProbeService"/>.</summary>
    public RecordingService Probe { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _hanging.Start();
        _ = HoldConnectionsAsync();
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var closedPort = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var hangingPort = ((IPEndPoint)_hanging.LocalEndpoint).Port;
        Probe = await RecordingService.StartAsync();
        Network = await TestNetwork.StartAsync(
            definition => AddServices(definition, hangingPort, closedPort).WithProbe(Probe.Url), timeoutSeconds: 3, configureRouter: RouterStateTests.ConfigureRouter);
    }

    private static NetworkDefinition AddServices(NetworkDefinition definition, int hangingPort, int closedPort) => definition with
    {
        SecurityServers = definition.SecurityServers.Select(s => s.Id != Gasr ? s : s with
        {
            Services =
            [
                .. s.Services,
                new ServiceOptions { Subsystem = "MN/GOV/GASR/civil-registry", Code = "slow", Url = $"http://127.0.0.1:{hangingPort}/slow", Allow = ["MN/GOV/LAND/land-services"] },
                new ServiceOptions { Subsystem = "MN/GOV/GASR/civil-registry", Code = "down", Url = $"http://127.0.0.1:{closedPort}/down", Allow = ["MN/GOV/LAND/land-services"] },
            ],
        }).ToList(),
    };

    private async Task HoldConnectionsAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _hanging.AcceptTcpClientAsync(_stop.Token);
                lock (_held)
                {
                    _held.Add(client);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _hanging.Stop();
        lock (_held)
        {
            _held.ForEach(c => c.Dispose());
        }

        await Network.DisposeAsync();
        await Probe.DisposeAsync();
        _stop.Dispose();
    }
}
