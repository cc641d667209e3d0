using System.Runtime.InteropServices;

namespace Broker.MessageLog.Archives;

/// <summary>
/// Puts the calling thread into Linux's idle scheduling class (<c>SCHED_IDLE</c>): it then runs only on CPU time that no
/// other thread wants, so work that can wait (archiving) does not slow the exchanges. A lower nice value is not enough:
/// measured under full load, a nice-19 archiver still took as much CPU as at nice 0 (docs/benchmarks.md). An
/// unprivileged thread may not be able to leave the idle class again: only for a thread of its own.
/// </summary>
public static partial class IdleThread
{
    private const int SchedIdle = 5;

    /// <summary>Whether the calling thread is now in the idle class (false on other systems, or when the kernel refuses).</summary>
    public static bool TryEnter()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        var priority = 0; // struct sched_param { int sched_priority; }: 0 for SCHED_IDLE
        return sched_setscheduler(0 /* the calling thread */, SchedIdle, ref priority) == 0;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sched_setscheduler(int pid, int policy, ref int parameter);
}
