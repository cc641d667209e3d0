using System.CommandLine;
using Broker.Cli.Network;

namespace Broker.Cli.Commands;

internal static class UpCommand
{
    public static Command Create(Option<string> config, Option<string> certs, Option<string> state)
    {
        var transport = new Option<string>("--transport") { Description = "The router's transport: embedded (default) or kafka.", DefaultValueFactory = _ => "embedded" };
        transport.AcceptOnlyFromAmong("embedded", "kafka");
        var kafka = new Option<string>("--kafka") { Description = "Kafka bootstrap servers (host:port,…), or 'mock' for an in-process mock cluster of three brokers.", DefaultValueFactory = _ => "mock" };
        var redis = new Option<string?>("--redis") { Description = "Redis host:port for the routers' shared state (replay guard, rate limits, instance registry); in memory when absent." };
        var routers = new Option<int>("--routers") { Description = "Router instances to start (with --transport kafka they share the work).", DefaultValueFactory = _ => 1 };
        var messageLog = new Option<Broker.MessageLog.Records.LogMode>("--message-log") { Description = "What the security servers' message logs keep: Full (default), Metadata (no bodies) or Off.", DefaultValueFactory = _ => Broker.MessageLog.Records.LogMode.Full };
        var archiveWindow = new Option<string?>("--archive-window") { Description = "When the security servers archive their message logs, local time HH:mm-HH:mm (e.g. 22:00-06:00); at any time when absent." };
        var command = new Command("up", "Start the whole network on this machine: central server, router, security servers, sample registries.") { transport, kafka, redis, routers, messageLog, archiveWindow };
        command.SetAction(async (result, cancellationToken) =>
        {
            var configDirectory = result.GetValue(config)!;
            var definition = NetworkDefinition.Load(Path.Combine(configDirectory, "network.json"));
            var settings = new LocalNetworkSettings(configDirectory, result.GetValue(certs)!, result.GetValue(state)!)
            {
                Transport = result.GetValue(transport)!,
                Kafka = result.GetValue(kafka)!,
                RouterInstances = Math.Max(1, result.GetValue(routers)),
                Redis = result.GetValue(redis),
                ConfigureSecurityServer = server =>
                {
                    server.MessageLog.DefaultMode = result.GetValue(messageLog);
                    server.MessageLog.ArchiveWindow = result.GetValue(archiveWindow);
                },
            };
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
        Console.WriteLine($"  TSA              {network.Tsa.Url}tsa  (RFC 3161 over HTTP)");
        var kafka = network.Settings.Transport != "kafka" ? ""
            : network.KafkaCluster is { } mock ? $", Kafka {mock.BootstrapServers} (in-process mock, {mock.Brokers} brokers)" : $", Kafka {network.Settings.Kafka}";
        foreach (var router in network.Routers)
        {
            Console.WriteLine($"  router           {router.Url}  (mTLS, {network.Settings.Transport} transport{kafka})");
        }
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
