using System.CommandLine;
using Broker.Cli.Network;

namespace Broker.Cli.Commands;

internal static class PkiCommand
{
    public static Command Create(Option<string> config, Option<string> certs)
    {
        var init = new Command("init", "Write a development PKI into the certificates directory (root CA, node TLS and member signing certificates; ECDSA P-256).");
        init.SetAction(result =>
        {
            var definition = NetworkDefinition.Load(Path.Combine(result.GetValue(config)!, "network.json"));
            var directory = result.GetValue(certs)!;
            var written = DevelopmentPki.Ensure(definition, directory);
            Console.WriteLine(written.Count == 0
                ? $"The PKI in {directory} is complete; nothing to do."
                : $"Wrote {written.Count} certificate(s) to {directory}: {string.Join(", ", written)}");
            return 0;
        });
        var pki = new Command("pki", "Development PKI commands.");
        pki.Subcommands.Add(init);
        return pki;
    }
}
