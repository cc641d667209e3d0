using System.Globalization;
using Broker.MessageLog.Verification;

namespace Broker.Auditor.Reports;

/// <summary>
/// The text report of <c>broker audit verify</c>: what was verified, with which trust (every CA and TSA by its full
/// SHA-256 fingerprint, and a warning when they came from the input itself), how much of it, then every problem with
/// the record it concerns, and the verdict.
/// </summary>
public static class ReportFormatter
{
    /// <summary>What the report says, at the top and under the verdict, when the trust came from the input.</summary>
    public const string EmbeddedTrust = "trust taken from the input itself: this proves integrity, not origin";

    public static void Write(VerificationReport report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        Line(output, $"Verified:   {report.Target} ({Describe(report.Kind)})");
        if (report.InputError is not null)
        {
            Line(output, $"Cannot read it: {report.InputError}");
            output.WriteLine("NOT VERIFIED: the input could not be read.");
            return;
        }

        if (report.TrustFromInput)
        {
            output.WriteLine($"WARNING:    {EmbeddedTrust}.");
            output.WriteLine("            Whoever could change the input could have replaced the certificates it carries too: compare the");
            output.WriteLine("            SHA-256 fingerprints below with the CAs and TSAs approved in the global configuration, or verify");
            output.WriteLine("            again with --ca and --tsa.");
        }

        Line(output, $"Trust:      {report.TrustSource}");
        foreach (var certificate in report.TrustedCertificates)
        {
            Line(output, $"            {certificate}");
        }

        if (report.TrustedCertificates.Count == 0)
        {
            output.WriteLine("            (no certificates)");
        }

        var where = report.Kind switch
        {
            VerificationKind.LogDirectory => $" in {report.Segments} segment(s)",
            VerificationKind.Archive or VerificationKind.ArchiveDirectory => $" in {report.Archives} archive(s)",
            _ => "",
        };
        var range = report.FirstSeq is long first ? $", records {first}..{report.LastSeq}" : "";
        Line(output, $"Records:    {report.Records:N0} ({report.Messages:N0} messages, {report.Stamps:N0} time-stamps){where}{range}");
        if (report.FirstLoggedAt is { } from)
        {
            Line(output, $"Logged:     {from.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} .. {report.LastLoggedAt!.Value.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}");
        }

        Line(output, $"Signatures: {report.SignaturesVerified:N0} verified; bodies: {report.BodiesChecked:N0} checked, {report.BodiesOmitted:N0} metadata-only, {report.BodiesNotChecked:N0} encrypted and not checked");
        var ordered = report.Findings.OrderByDescending(f => f.Severity).ToList();
        if (ordered.Count > 0)
        {
            output.WriteLine();
            foreach (var finding in ordered)
            {
                output.WriteLine(finding.ToString());
            }
        }

        output.WriteLine();
        output.WriteLine(report.IsValid
            ? $"VERIFIED: no errors{(report.Warnings > 0 ? $", {Count(report.Warnings, "warning")}" : "")}."
            : $"NOT VERIFIED: {Count(report.Errors, "error")}{(report.Warnings > 0 ? $", {Count(report.Warnings, "warning")}" : "")}.");
        if (report.TrustFromInput)
        {
            output.WriteLine($"WARNING: {EmbeddedTrust} (see the fingerprints above).");
        }
    }

    private static void Line(TextWriter output, FormattableString line) => output.WriteLine(line.ToString(CultureInfo.InvariantCulture));

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    private static string Describe(VerificationKind kind) => kind switch
    {
        VerificationKind.LogDirectory => "live log",
        VerificationKind.Archive => "archive",
        VerificationKind.ArchiveDirectory => "directory of archives",
        VerificationKind.Evidence => "evidence container",
        _ => "unknown input",
    };
}
