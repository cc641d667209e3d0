using System.CommandLine;
using Broker.Auditor.Verify;

namespace Broker.Cli.Commands;

/// <summary>
/// <c>broker audit verify &lt;path&gt; (--ca pem --tsa pem | --trust-embedded)</c>: verifies message-log evidence offline
/// (docs/message-log.md#verifying-broker-audit-verify). Exit code 0 when everything verifies, 1 when something does
/// not, 2 for wrong usage (no trust chosen) or unreadable input.
/// </summary>
internal static class AuditCommand
{
    public const string Name = "audit";

    public static Command Create()
    {
        var path = new Argument<string>("path") { Description = "A message-log directory, an archive (.zip), a directory of archives, or an evidence container (.zip)." };
        var key = new Option<string[]>("--key") { Description = "A body key file (32 bytes raw, hex or base64): bodies encrypted at rest are checked with it. Repeatable." };
        var ca = new Option<string[]>("--ca") { Description = "A PEM file of approved CA certificates from an independent source (e.g. certs/root-ca.pem); replaces the CAs the input carries. Repeatable." };
        var tsa = new Option<string[]>("--tsa") { Description = "A PEM file of approved TSA certificates (e.g. certs/central-tsa.pem; only certificates with the timeStamping usage count); replaces the TSAs the input carries. Repeatable." };
        var embedded = new Option<bool>("--trust-embedded") { Description = "Trust the CAs and TSAs the input itself carries (for what --ca/--tsa do not give): proves integrity, not origin. Without it, --ca and --tsa are required." };
        var verify = new Command("verify", "Verify the hash chain, signatures, bodies, time-stamps and proofs; print which record is wrong and how.")
        {
            path, key, ca, tsa, embedded,
        };
        verify.SetAction(result => AuditVerifier.Run(
            new AuditVerifyRequest(result.GetValue(path)!, result.GetValue(key) ?? [], result.GetValue(ca) ?? [], result.GetValue(tsa) ?? [], result.GetValue(embedded)),
            result.InvocationConfiguration.Output,
            result.InvocationConfiguration.Error));
        var audit = new Command(Name, "Offline verification of message-log evidence (no server needed).");
        audit.Subcommands.Add(verify);
        return audit;
    }

    /// <summary>The exit code for a parse of the command line: a usage error under <c>audit</c> is 2, not the parser's 1.</summary>
    public static int ExitCode(ParseResult parsed, int exitCode)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        var command = parsed.CommandResult;
        while (command.Parent is System.CommandLine.Parsing.CommandResult parent && command.Command.Name != Name)
        {
            command = parent;
        }

        return parsed.Errors.Count > 0 && command.Command.Name == Name ? AuditExitCodes.UsageError : exitCode;
    }
}
