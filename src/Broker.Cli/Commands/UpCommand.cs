using System.CommandLine;
using Broker.Cli.Network;

namespace Broker.Cli.Commands;

internal static class UpCommand
{
    public static Command Create(Option<string> config, Option<string> certs, Option<string> state)
    {
        var command = new Command("up", "Start the whole network on this machine (embedded transport): central server, router, security servers, sample registries.");
        command.SetAction(async (result, cancellationToken) =>
        {
            var configDirectory = result.GetValue(config)!;
            var definition = NetworkDefinition.Load(Path.Combine(configDirectory, "network.json"));
            var settings = new LocalNetworkSettings(configDirectory, result.GetValue(certs)!, result.GetValue(state)!);
            await using var network = await LocalNetwork.StartAsync(definition, settings, cancellationToken);
            Print(network);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Console.WriteLine("Stopping…");
            }

            return 0;
        });
        return command;
    }

    private static void Print(LocalNetwork network)
    {
        Console.WriteLine($"Broker network {network.Definition.Instance} is up (global configuration version {network.Publisher.Current.Document.Version}).");
        Console.WriteLine($"  central server   {network.CentralUrl}globalconf");
        Console.WriteLine($"  router           {network.RouterUrl}  (mTLS)");
        foreach (var (id, server) in network.SecurityServers)
        {
            var clients = string.Join(", ", network.Definition.SecurityServers.First(s => s.Id == id).Clients);
            Console.WriteLine($"  security server  {id,-22} IS port {server.ClientUrl}  router port {server.ServiceUrl}  hosts {clients}");
        }

        foreach (var (name, registry) in network.SampleRegistries)
        {
            Console.WriteLine($"  sample registry  {name,-22} {registry.Url}");
        }

        var land = network.SecurityServers.Values.First(s => network.Definition.SecurityServers.Any(d => d.Clients.Contains("MN/GOV/LAND/land-services") && network.SecurityServers[d.Id] == s));
        Console.WriteLine();
        Console.WriteLine("The land office asks the civil registry for a citizen's record, through the bus:");
        Console.WriteLine($"  curl -i -H 'X-Road-Client: MN/GOV/LAND/land-services' {land.ClientUrl}r1/MN/GOV/GASR/civil-registry/citizens/UB99010112");
        Console.WriteLine();
        Console.WriteLine("Press Ctrl-C to stop.");
    }
}
