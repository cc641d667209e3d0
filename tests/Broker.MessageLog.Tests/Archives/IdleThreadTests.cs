using System.Globalization;
using Broker.MessageLog.Archives;

namespace Broker.MessageLog.Tests.Archives;

public sealed class IdleThreadTests
{
    private const int SchedOther = 0;
    private const int SchedIdle = 5;

    [Fact]
    public void TryEnter_PutsOnlyTheCallingThreadIntoTheIdleSchedulingClass()
    {
        Assert.True(OperatingSystem.IsLinux(), "the archiver's idle priority is Linux's SCHED_IDLE; these tests run on Linux");
        var before = Policy();
        int? inside = null;
        var entered = false;
        var thread = new Thread(() =>
        {
            entered = IdleThread.TryEnter();
            inside = Policy();
        });
        thread.Start();
        thread.Join();

        Assert.Equal(SchedOther, before);
        Assert.True(entered);
        Assert.Equal(SchedIdle, inside);
        Assert.Equal(SchedOther, Policy()); // the test's own thread is left alone
    }

    // the scheduling policy of the calling thread as the kernel reports it: field 41 of /proc/thread-self/stat
    private static int Policy()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[41 - 3], CultureInfo.InvariantCulture);
    }
}
