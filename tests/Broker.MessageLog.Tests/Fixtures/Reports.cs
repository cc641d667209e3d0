using Broker.MessageLog.Verification;

namespace Broker.MessageLog.Tests.Fixtures;

/// <summary>Assertions on verification reports that print the whole report when they fail.</summary>
internal static class Reports
{
    public static string Text(VerificationReport report) =>
        $"{report.Kind} {report.Target}: {report.Records} records, {report.Messages} messages, {report.Stamps} stamps\n"
        + string.Join("\n", report.Findings.Select(f => f.ToString()));

    public static Finding Single(VerificationReport report, string code, long? seq = null, FindingSeverity severity = FindingSeverity.Error)
    {
        var matches = report.Findings.Where(f => f.Code == code && f.Severity == severity && (seq is null || f.Seq == seq)).ToList();
        Assert.True(matches.Count == 1, $"expected one {severity} {code}{(seq is null ? "" : " at record " + seq)}; the report:\n{Text(report)}");
        return matches[0];
    }

    public static void Clean(VerificationReport report)
    {
        Assert.True(report.IsValid && report.Warnings == 0, "expected no errors and no warnings; the report:\n" + Text(report));
    }
}
