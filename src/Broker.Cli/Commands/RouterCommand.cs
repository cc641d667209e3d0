using System.CommandLine;
using Broker.Hosting.Hosts;
using Broker.Router;

namespace Broker.Cli.Commands;

/// <summary>
/// <c>broker router</c>: one router instance as its own process, for deployments of several instances (Kafka transport,
/// shared Redis). It trusts the global configuration behind the anchor; its certificate must be listed there.
/// </summary>
internal static class RouterCommand
{
    public static Command Create(Option<string> certs, Option<string> state)
    {
        var anchor = new Option<string>("--anchor") { Description = "The configuration anchor (anchor.json) of the instance.", Required = true };
        var port = new Option<int>("--port") { Description = "The mTLS port security servers connect to.", Required = true };
        var transport = new Option<string>("--transport") { Description = "embedded or kafka.", DefaultValueFactory = _ => "kafka" };
        transport.AcceptOnlyFromAmong("embedded", "kafka");
        var kafka = new Option<string>("--kafka") { Description = "Kafka bootstrap servers (host:port,…)." };
        var replyPartition = new Option<int>("--reply-partition") { Description = "This instance's partition of the replies topic (unique per instance)." };
        var redis = new Option<string?>("--redis") { Description = "Redis host:port for the shared router state." };
        var instanceId = new Option<string?>("--instance-id") { Description = "Name in the instance registry." };
        var command = new Command("router", "Run one router instance in this process until stopped.")
        {
            anchor, port, transport, kafka, replyPartition, redis, instanceId,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var options = new RouterOptions
            {
                Port = result.GetValue(port),
                CertificatesDirectory = result.GetValue(certs)!,
                Transport = result.GetValue(transport)!,
            };
            options.Kafka.BootstrapServers = result.GetValue(kafka) ?? "";
            options.Kafka.ReplyPartition = result.GetValue(replyPartition);
            options.State.Redis = result.GetValue(redis);
            options.State.InstanceId = result.GetValue(instanceId);
            var app = RouterHost.Build(options, new NodeHostSettings(result.GetValue(anchor)!, result.GetValue(state)!));
            return await HostRunner.RunUntilStoppedAsync(app, a => $"router listening on {string.Join(", ", a.Urls)} ({options.Transport} transport)", cancellationToken);
        });
        return command;
    }
}
