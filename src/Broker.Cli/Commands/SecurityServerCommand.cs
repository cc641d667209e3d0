using System.CommandLine;
using Broker.Cli.Network;
using Broker.Hosting.Hosts;
using Broker.SecurityServer.Hosting;

namespace Broker.Cli.Commands;

/// <summary>
/// <c>broker security-server</c>: one security server of network.json as its own process (its identity, clients and
/// services from there, its keys from the PKI directory), trusting the global configuration behind the anchor.
/// </summary>
internal static class SecurityServerCommand
{
    public static Command Create(Option<string> config, Option<string> certs, Option<string> state)
    {
        var anchor = new Option<string>("--anchor") { Description = "The configuration anchor (anchor.json) of the instance.", Required = true };
        var id = new Option<string>("--id") { Description = "The security server's identifier in network.json (INSTANCE/CLASS/MEMBER/SERVERCODE).", Required = true };
        var clientPort = new Option<int?>("--client-port") { Description = "Port for the agency's information systems (default: network.json)." };
        var servicePort = new Option<int?>("--service-port") { Description = "mTLS port for the router (default: network.json)." };
        var command = new Command("security-server", "Run one security server in this process until stopped.") { anchor, id, clientPort, servicePort };
        command.SetAction(async (result, cancellationToken) =>
        {
            var network = NetworkDefinition.Load(Path.Combine(result.GetValue(config)!, "network.json"));
            var serverId = result.GetValue(id)!;
            var server = network.SecurityServers.FirstOrDefault(s => s.Id == serverId);
            if (server is null)
            {
                await Console.Error.WriteLineAsync($"network.json has no security server {serverId}.");
                return 2;
            }

            var options = server.ToOptions(result.GetValue(certs)!, result.GetValue(clientPort) ?? server.ClientPort, result.GetValue(servicePort) ?? server.ServicePort);
            var app = SecurityServerHost.Build(options, new NodeHostSettings(result.GetValue(anchor)!, result.GetValue(state)!));
            return await HostRunner.RunUntilStoppedAsync(app, a => $"security server {serverId} listening on {string.Join(", ", a.Urls)}", cancellationToken);
        });
        return command;
    }
}
