using System.Globalization;
using Broker.SecurityServer.MessageLog;
using Broker.Testing;

namespace Broker.FunctionalTests;

/// <summary>
/// When the background archiver runs (docs/message-log.md#when-archiving-runs): only inside MessageLog.ArchiveWindow,
/// unless the closed segments waiting for their archive outgrow MessageLog.ArchiveBacklogLimit.
/// </summary>
public sealed class ArchiveScheduleTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("22:00-06:00", "23:30", true)]
    [InlineData("22:00-06:00", "05:59", true)]
    [InlineData("22:00-06:00", "06:00", false)]
    [InlineData("22:00-06:00", "12:00", false)]
    [InlineData("01:00-05:00", "01:00", true)]
    [InlineData("01:00-05:00", "05:00", false)]
    [InlineData("01:00-05:00", "00:59", false)]
    public void DailyWindow_Contains_FromStartToEnd_AlsoAcrossMidnight(string window, string time, bool inside)
    {
        Assert.True(DailyWindow.TryParse(window, out var parsed));
        Assert.Equal(inside, parsed.Contains(TimeOnly.ParseExact(time, "HH:mm", CultureInfo.InvariantCulture)));
        Assert.Equal(window, parsed.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("01:00")]
    [InlineData("01:00-01:00")]
    [InlineData("25:00-01:00")]
    [InlineData("1-5")]
    [InlineData("01:00-05:00-07:00")]
    public void DailyWindow_TryParse_RefusesWhatIsNotTwoDifferentTimes(string? window) =>
        Assert.False(DailyWindow.TryParse(window, out _));

    [Fact]
    public async Task OutsideTheArchiveWindow_StampedClosedSegmentsWait_UnlessTheBacklogOutgrowsTheLimit()
    {
        // a window that starts two hours from now: the test runs outside it
        var now = DateTime.Now;
        var window = $"{now.AddHours(2):HH:mm}-{now.AddHours(3):HH:mm}";
        await using (var waiting = await StartAsync(window, backlogLimit: 1L << 30))
        {
            var health = await ExchangeUntilStampedAsync(waiting);
            var backlog = health.MessageLog.GetProperty("archiveBacklogBytes").GetInt64();
            Assert.True(backlog > 0, health.MessageLog.ToString());

            await Task.Delay(TimeSpan.FromSeconds(2), Cancel); // twenty archive intervals, each a pass the window skips
            var later = (await SecurityServerHealth.GetAsync(waiting.Http, waiting.ClientUrl(SampleNetworkFixture.Land))).MessageLog;
            Assert.Equal(0, later.GetProperty("archives").GetInt32());
            Assert.Equal(backlog, later.GetProperty("archiveBacklogBytes").GetInt64());
        }

        await using var behind = await StartAsync(window, backlogLimit: 1);
        await ExchangeUntilStampedAsync(behind);
        var caughtUp = await SecurityServerHealth.WaitForAsync(
            behind.Http, behind.ClientUrl(SampleNetworkFixture.Land),
            h => h.MessageLog.GetProperty("archives").GetInt32() >= 2 && h.MessageLog.GetProperty("archiveBacklogBytes").GetInt64() == 0,
            "archiving outside the window once the backlog is over the limit", seconds: 30);
        Assert.False(caughtUp.MessageLog.GetProperty("archiveBehind").GetBoolean(), caughtUp.MessageLog.ToString());
    }

    private static Task<TestNetwork> StartAsync(string window, long backlogLimit) =>
        ArchivingNetwork.StartAsync(log =>
        {
            log.ArchiveWindow = window;
            log.ArchiveBacklogLimit = backlogLimit;
            log.ArchiveInterval = TimeSpan.FromMilliseconds(100);
            log.Timestamping.Interval = TimeSpan.FromMilliseconds(200);
        });

    // thirty 3 KB exchanges (several closed segments), then waits until the land office's log is stamped
    private static async Task<SecurityServerHealth> ExchangeUntilStampedAsync(TestNetwork network)
    {
        await ArchivingNetwork.SendEchoesAsync(network, 30);
        return await SecurityServerHealth.WaitForAsync(network.Http, network.ClientUrl(SampleNetworkFixture.Land), h => h.Backlog == 0, "stamping the land office's log");
    }
}
