#!/usr/bin/env python3
"""What growing the page cache costs on this machine, as cited in docs/benchmarks.md and docs/message-log.md#page-cache.
Appends 27 KB batches (the message log's group commits under load) to one new file, with an fdatasync every 64 of
them, and prints this process's kernel CPU per write for every 10,000 writes (270 MB): first with every written page left cached, as the log did before,
then with whole pages dropped (posix_fadvise DONTNEED) once written back, as the log does now. On the 2-vCPU
Firecracker VM the cost jumps five- to tenfold once the page cache grows past the memory the guest used recently.
Writes under /tmp (the root file system on the development box; not tmpfs). usage: page-cache-cost.py [GB=4]"""
import os
import resource
import sys


def run(drop, total_gb):
    path = '/tmp/broker-page-cache-cost.bin'
    batch = os.urandom(27 * 1024)
    writes = int(total_gb * (1 << 30) / len(batch))
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
    costs, dropped = [], 0
    try:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_stime
        for i in range(writes):
            os.pwrite(fd, batch, i * len(batch))
            if (i + 1) % 64 == 0:
                os.fdatasync(fd)  # both alike; DONTNEED drops clean pages only, as the log's are after each group commit
                if drop:
                    through = ((i + 1) * len(batch)) & ~4095
                    os.posix_fadvise(fd, dropped, through - dropped, os.POSIX_FADV_DONTNEED)
                    dropped = through
            if (i + 1) % 10000 == 0:
                now = resource.getrusage(resource.RUSAGE_SELF).ru_stime
                costs.append(round((now - before) * 1e6 / 10000, 1))
                before = now
    finally:
        os.close(fd)
        os.unlink(path)
    return costs


if __name__ == '__main__':
    gb = float(sys.argv[1]) if len(sys.argv) > 1 else 4
    for drop in (False, True):
        print(('dropped behind' if drop else 'left cached  ') + ' µs of kernel CPU per 27 KB write, per 10,000 writes:', run(drop, gb))
