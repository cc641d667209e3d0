using System.CommandLine;
using Broker.Cli.Commands;

var config = new Option<string>("--config") { Description = "Directory with network.json and sample data.", DefaultValueFactory = _ => "config", Recursive = true };
var certs = new Option<string>("--certs") { Description = "Directory of the development PKI.", DefaultValueFactory = _ => "certs", Recursive = true };
var state = new Option<string>("--state") { Description = "Directory for runtime state (cached global configuration).", DefaultValueFactory = _ => "var", Recursive = true };

var root = new RootCommand("broker: a government data-exchange bus (X-Road compatible REST r1).");
root.Options.Add(config);
root.Options.Add(certs);
root.Options.Add(state);
root.Subcommands.Add(PkiCommand.Create(config, certs));
root.Subcommands.Add(UpCommand.Create(config, certs, state));
root.Subcommands.Add(RouterCommand.Create(certs, state));
root.Subcommands.Add(SecurityServerCommand.Create(config, certs, state));
root.Subcommands.Add(AuditCommand.Create());
var parsed = root.Parse(args);
return AuditCommand.ExitCode(parsed, await parsed.InvokeAsync());
