using System.Diagnostics;
using System.Globalization;

namespace Broker.MessageLog.Tests.Fixtures;

/// <summary>How much of a file the page cache holds (util-linux <c>fincore</c>, part of every Debian system).</summary>
internal static class PageCache
{
    public static long ResidentBytes(string path)
    {
        using var fincore = Process.Start(new ProcessStartInfo("fincore", ["--bytes", "--noheadings", "--output", "RES", path]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = fincore.StandardOutput.ReadToEnd();
        var error = fincore.StandardError.ReadToEnd();
        fincore.WaitForExit();
        Assert.True(fincore.ExitCode == 0, $"fincore {path} failed: {error}");
        return long.Parse(output.Trim(), CultureInfo.InvariantCulture);
    }
}
